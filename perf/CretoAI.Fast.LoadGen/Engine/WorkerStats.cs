using System.Runtime.InteropServices;
using HdrHistogram;

namespace CretoAI.Fast.LoadGen.Engine;

/// <summary>
/// What one worker (one connection, or one verify thread) measured during the measured window of a
/// step. Sent and succeeded have a single writer each (sender or receiver; in tx mode the sender and
/// the commit watcher), so plain volatile writes suffice; failures can come from several threads
/// (tx mode: admission answers, commit notices, the drain) and are added atomically, with an
/// optional reason. The live view reads the counters while the step runs. <see cref="Corrected"/> is latency from the
/// intended send time (open loop) or the actual send time (closed loop); <see cref="Service"/> is
/// from the actual send time and is only recorded in open loop, where the two differ.
/// </summary>
internal sealed class WorkerStats
{
    private readonly Lock _reasonsLock = new();
    private long _sent;
    private long _succeeded;
    private long _failed;
    private Dictionary<string, long>? _reasons;

    public Recorder Corrected { get; } = LatencyHistograms.CreateRecorder();

    public Recorder Service { get; } = LatencyHistograms.CreateRecorder();

    /// <summary>Requests of the measured window put on the wire.</summary>
    public long Sent => Volatile.Read(ref _sent);

    public long Succeeded => Volatile.Read(ref _succeeded);

    public long Failed => Volatile.Read(ref _failed);

    public void CountSent() => Volatile.Write(ref _sent, _sent + 1);

    public void CountSucceeded() => Volatile.Write(ref _succeeded, _succeeded + 1);

    public void CountFailed(long count = 1) => Interlocked.Add(ref _failed, count);

    /// <summary>One failed request, and why (a short, low-cardinality reason such as <c>refused: busy</c>).</summary>
    public void CountFailed(string reason)
    {
        lock (_reasonsLock)
        {
            _reasons ??= new Dictionary<string, long>(StringComparer.Ordinal);
            CollectionsMarshal.GetValueRefOrAddDefault(_reasons, reason, out _)++;
        }

        Interlocked.Increment(ref _failed);
    }

    /// <summary>Adds the failure reasons counted so far to <paramref name="into"/>.</summary>
    public void AddReasonsTo(Dictionary<string, long> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        lock (_reasonsLock)
        {
            if (_reasons is null)
            {
                return;
            }

            foreach (var (reason, count) in _reasons)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(into, reason, out _) += count;
            }
        }
    }
}
