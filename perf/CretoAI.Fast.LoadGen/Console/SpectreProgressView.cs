using System.Globalization;
using CretoAI.Fast.LoadGen.Engine;
using Spectre.Console;

namespace CretoAI.Fast.LoadGen.Console;

/// <summary>Live table on an interactive terminal: one row per step, refreshed four times a second.</summary>
internal sealed class SpectreProgressView : IProgressView
{
    private readonly IAnsiConsole _console;

    public SpectreProgressView(IAnsiConsole console) => _console = console;

    public async Task<T> RunAsync<T>(Func<Action<LiveSnapshot>, Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var table = new Table().Border(TableBorder.Rounded).Title("cretoai-fast-loadgen");
        foreach (var column in (string[])["step", "offered", "phase", "elapsed", "rate/s", "sent", "ok", "errors", "p50", "p99"])
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        var result = default(T)!;
        await _console.Live(table).AutoClear(false).StartAsync(async context =>
        {
            result = await body(snapshot =>
            {
                var cells = Cells(snapshot);
                var row = snapshot.Step - 1;
                if (table.Rows.Count <= row)
                {
                    table.AddRow(cells);
                }
                else
                {
                    for (var c = 0; c < cells.Length; c++)
                    {
                        table.UpdateCell(row, c, cells[c]);
                    }
                }

                context.Refresh();
            }).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return result;
    }

    private static string[] Cells(LiveSnapshot s)
    {
        var errors = s.Failed == 0 ? "0" : $"[red]{s.Failed}[/]";
        return
        [
            $"{s.Step}/{s.Steps}",
            s.OfferedRate is { } r ? r.ToString("0.#", CultureInfo.InvariantCulture) : "closed",
            s.Phase,
            s.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s",
            s.Rate.ToString("0", CultureInfo.InvariantCulture),
            s.Sent.ToString(CultureInfo.InvariantCulture),
            s.Succeeded.ToString(CultureInfo.InvariantCulture),
            errors,
            s.P50Micros.ToString("0.0", CultureInfo.InvariantCulture) + " us",
            s.P99Micros.ToString("0.0", CultureInfo.InvariantCulture) + " us",
        ];
    }
}
