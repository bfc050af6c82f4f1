using HdrHistogram;

namespace CretoAI.Fast.LoadGen.Engine;

/// <summary>
/// What one worker (one connection, or one verify thread) measured during the measured window of a
/// step. Counters have a single writer each (sender or receiver), so plain volatile writes suffice;
/// the live view reads them while the step runs. <see cref="Corrected"/> is latency from the
/// intended send time (open loop) or the actual send time (closed loop); <see cref="Service"/> is
/// from the actual send time and is only recorded in open loop, where the two differ.
/// </summary>
internal sealed class WorkerStats
{
    private long _sent;
    private long _succeeded;
    private long _failed;

    public Recorder Corrected { get; } = LatencyHistograms.CreateRecorder();

    public Recorder Service { get; } = LatencyHistograms.CreateRecorder();

    /// <summary>Requests of the measured window put on the wire.</summary>
    public long Sent => Volatile.Read(ref _sent);

    public long Succeeded => Volatile.Read(ref _succeeded);

    public long Failed => Volatile.Read(ref _failed);

    public void CountSent() => Volatile.Write(ref _sent, _sent + 1);

    public void CountSucceeded() => Volatile.Write(ref _succeeded, _succeeded + 1);

    public void CountFailed(long count = 1) => Volatile.Write(ref _failed, _failed + count);
}
