using System.CommandLine;
using System.Globalization;
using System.Net;
using CretoAI.Fast.Net.Load;

namespace CretoAI.Fast.Cli.Commands;

/// <summary>The load-shape options shared by <c>ping</c> and <c>demo</c>.</summary>
internal sealed class LoadOptions
{
    private Option<string> _matrix = null!;
    private Option<int> _payload = null!;
    private Option<double> _duration = null!;
    private Option<double> _warmup = null!;

    public static LoadOptions Create(string defaultMatrix = "1x1", double defaultDuration = 5) => new()
    {
        _matrix = new Option<string>("--matrix")
        {
            Description = "Comma-separated CONNECTIONSxDEPTH pairs to run one after another, e.g. 1x1,1x16,32x1,32x16.",
            DefaultValueFactory = _ => defaultMatrix,
            Validators =
            {
                result =>
                {
                    if (!TryParseMatrix(result.GetValueOrDefault<string>(), out _, out var error))
                    {
                        result.AddError(error);
                    }
                },
            },
        },
        _payload = new Option<int>("--payload")
        {
            Description = "Ping payload size in bytes (0..1048576).",
            DefaultValueFactory = _ => 32,
            Validators =
            {
                result =>
                {
                    if (!CommonOptions.TryGetValue<int>(result, out var value))
                    {
                        return;
                    }

                    if (value is < 0 or > 1024 * 1024)
                    {
                        result.AddError($"--payload must be between 0 and 1048576 bytes (got {value}).");
                    }
                },
            },
        },
        _duration = CommonOptions.Seconds("--duration", "Measured seconds per configuration.", defaultDuration, 0.1),
        _warmup = CommonOptions.Seconds("--warmup", "Seconds of unmeasured load before each measurement.", 1, 0),
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_matrix);
        command.Options.Add(_payload);
        command.Options.Add(_duration);
        command.Options.Add(_warmup);
    }

    public IReadOnlyList<(int Connections, int Depth)> Matrix(ParseResult result)
    {
        // The option's validator already rejected a bad matrix before any action runs.
        return TryParseMatrix(result.GetValue(_matrix), out var pairs, out var error) ? pairs : throw new Core.InvalidSettingException("--matrix", error);
    }

    public PingLoadOptions ToOptions(ParseResult result, EndPoint target, int connections, int depth) => new(
        target,
        connections,
        depth,
        result.GetValue(_payload),
        TimeSpan.FromSeconds(result.GetValue(_duration)),
        TimeSpan.FromSeconds(result.GetValue(_warmup)));

    internal static bool TryParseMatrix(string? text, out List<(int Connections, int Depth)> pairs, out string error)
    {
        pairs = [];
        error = string.Empty;
        foreach (var item in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split('x');
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var connections)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var depth)
                || connections is < 1 or > 10_000 || depth is < 1 or > 4096)
            {
                error = $"--matrix entry '{item}' is not CONNECTIONSxDEPTH with connections 1..10000 and depth 1..4096.";
                return false;
            }

            pairs.Add((connections, depth));
        }

        if (pairs.Count == 0)
        {
            error = "--matrix needs at least one CONNECTIONSxDEPTH pair.";
            return false;
        }

        return true;
    }
}
