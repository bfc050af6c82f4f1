using System.Diagnostics;
using System.Globalization;
using CretoAI.Fast.LoadGen.Engine;

namespace CretoAI.Fast.LoadGen.Console;

/// <summary>
/// For pipes, CI logs and <c>--no-progress</c>: one plain line per second on stderr (stdout stays
/// reserved for the result lines scripts read), plus the last line of each step.
/// </summary>
internal sealed class PlainProgressView : IProgressView
{
    private readonly TextWriter _writer;
    private readonly bool _quiet;
    private long _lastPrint;
    private int _lastStep;

    public PlainProgressView(TextWriter writer, bool quiet)
    {
        _writer = writer;
        _quiet = quiet;
    }

    public Task<T> RunAsync<T>(Func<Action<LiveSnapshot>, Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return body(Show);
    }

    private void Show(LiveSnapshot snapshot)
    {
        if (_quiet)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        if (snapshot.Step == _lastStep && Stopwatch.GetElapsedTime(_lastPrint, now) < TimeSpan.FromSeconds(1))
        {
            return;
        }

        _lastStep = snapshot.Step;
        _lastPrint = now;
        var offered = snapshot.OfferedRate is { } r ? r.ToString("0.#", CultureInfo.InvariantCulture) + "/s" : "closed";
        _writer.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"[step {snapshot.Step}/{snapshot.Steps} {offered}] {snapshot.Phase} {snapshot.Elapsed.TotalSeconds:0.0}s rate={snapshot.Rate:0}/s sent={snapshot.Sent} ok={snapshot.Succeeded} errors={snapshot.Failed} p50={snapshot.P50Micros:0.0}us p99={snapshot.P99Micros:0.0}us"));
    }
}
