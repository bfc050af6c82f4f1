using System.CommandLine;
using System.CommandLine.Parsing;
using CretoAI.Fast.Core;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Cli.Commands;

/// <summary>Options that several commands share, with their parsing and validation.</summary>
internal static class CommonOptions
{
    public static Option<Hash32> ChainId() => new("--chain-id")
    {
        Description = "Chain id, 64 hex characters. The default is the local devnet, SHA3-256(\"cretoai-fast/devnet\").",
        DefaultValueFactory = _ => CliDefaults.DevnetChainId,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (Hash32.TryParse(text, out var id) && !id.IsZero)
            {
                return id;
            }

            result.AddError($"--chain-id must be 64 hex characters and not all zero (got '{text}').");
            return default;
        },
    };

    public static Option<LogLevel> LogLevelOption() => new("--log-level")
    {
        Description = "Least severe log level printed: Trace, Debug, Information, Warning, Error, Critical, None.",
        DefaultValueFactory = _ => LogLevel.Information,
    };

    /// <summary>
    /// The option's value for a validator, or false when its text did not convert to
    /// <typeparamref name="T"/>: the parser reports that itself ("Cannot parse argument 'x' for option
    /// '--validators' ..."), and reading the value would throw out of the parse instead.
    /// </summary>
    public static bool TryGetValue<T>(OptionResult result, out T value)
    {
        ArgumentNullException.ThrowIfNull(result);
        try
        {
            value = result.GetValueOrDefault<T>()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    public static Option<int> Positive(string name, string description, int defaultValue, int max) =>
        InRange(name, description, defaultValue, 1, max);

    /// <summary>An integer option that must lie in <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static Option<int> InRange(string name, string description, int defaultValue, int min, int max) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        Validators =
        {
            result =>
            {
                if (!TryGetValue<int>(result, out var value))
                {
                    return;
                }

                if (value < min || value > max)
                {
                    result.AddError($"{name} must be between {min} and {max} (got {value}).");
                }
            },
        },
    };

    /// <summary>A number of seconds that must lie in <paramref name="min"/>..<paramref name="max"/> (a day unless given).</summary>
    public static Option<double> Seconds(string name, string description, double defaultValue, double min, double max = 86_400) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        Validators =
        {
            result =>
            {
                if (!TryGetValue<double>(result, out var value))
                {
                    return;
                }

                if (double.IsNaN(value) || value < min || value > max)
                {
                    result.AddError($"{name} must be between {min} and {max} seconds (got {value}).");
                }
            },
        },
    };

    /// <summary>Runs a command body, turning expected failures into one clear line on stderr and exit code 2.</summary>
    public static Task<int> GuardAsync(Func<Task<int>> body) => GuardAsync(body, Console.Error);

    /// <summary>As <see cref="GuardAsync(Func{Task{int}})"/>, writing the one line to <paramref name="error"/>.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> body, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex) when (ex is InvalidSettingException or Net.WireException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException or IOException)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
    }
}
