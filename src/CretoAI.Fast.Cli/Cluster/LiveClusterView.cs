using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CretoAI.Fast.Cli.Cluster;

/// <summary>The interactive view: headline rates and latencies over a per-node table, redrawn four times a second (Spectre.Console Live + Table).</summary>
internal sealed class LiveClusterView(IAnsiConsole console) : IClusterView
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);

    public Task RunAsync(Func<ClusterSnapshot> snapshot, CancellationToken stop) =>
        console.Live(Render(snapshot())).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).StartAsync(async context =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(Refresh, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Draw the last state once more, then stop.
                }

                context.UpdateTarget(Render(snapshot()));
                context.Refresh();
            }
        });

    internal static IRenderable Render(ClusterSnapshot s)
    {
        var headline = new Markup(string.Create(
            CultureInfo.InvariantCulture,
            $"[bold]cretoai-fast cluster[/]  {s.Elapsed.TotalSeconds:0}s   height [bold]{s.Height}[/]   commits/s [bold]{s.CommitsPerSecond:0.0}[/]   tx/s [bold]{s.TransactionsPerSecond:0.0}[/]   commit latency p50 [bold]{ClusterSummary.Ms(s.P50Ms)}[/] ms  p99 [bold]{ClusterSummary.Ms(s.P99Ms)}[/] ms"));
        var load = new Markup(string.Create(
            CultureInfo.InvariantCulture,
            $"load: submitted {s.Submitted}  accepted {s.Accepted}  refused {(s.Refused == 0 ? "0" : $"[red]{s.Refused}[/]")}  failed {(s.Failed == 0 ? "0" : $"[red]{s.Failed}[/]")}  committed {s.CommittedLoad}   [grey]Ctrl-C stops the load and the nodes[/]"));

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in (string[])["node", "port", "height", "round", "links", "mempool", "state", "status"])
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var node in s.Nodes)
        {
            var status = node.Up
                ? (node.Note.Length == 0 ? "[green]up[/]" : $"[yellow]up, {Markup.Escape(node.Note)}[/]")
                : $"[red]down[/] {Markup.Escape(node.Note)}";
            table.AddRow(
                node.Index.ToString(CultureInfo.InvariantCulture),
                node.Port.ToString(CultureInfo.InvariantCulture),
                node.Height.ToString(CultureInfo.InvariantCulture),
                node.Round.ToString(CultureInfo.InvariantCulture),
                node.ConnectedValidators.ToString(CultureInfo.InvariantCulture),
                node.MempoolTransactions.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(node.StateHash),
                status);
        }

        return new Rows(headline, load, table);
    }
}
