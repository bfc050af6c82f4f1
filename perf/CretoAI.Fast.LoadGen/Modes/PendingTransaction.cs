using CretoAI.Fast.Core;

namespace CretoAI.Fast.LoadGen.Modes;

/// <summary>
/// One pre-signed transaction of a <c>tx</c> step and what happened to it: made (with its encoded
/// envelope and id) before the step, so sending it allocates nothing of ours. It ends exactly once
/// (<see cref="TryFinish"/>): committed, refused, or timed out, whichever is seen first; a later
/// commit notice for a transaction already counted as timed out is ignored, so a step's counts add up.
/// </summary>
internal sealed class PendingTransaction
{
    private const int Unsent = 0;
    private const int InFlight = 1;
    private const int Finished = 2;

    private int _state = Unsent;

    public PendingTransaction(byte[] envelope, Hash32 id, int worker, bool probe)
    {
        Envelope = envelope;
        Id = id;
        Worker = worker;
        Probe = probe ? new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously) : null;
    }

    /// <summary>The signed envelope as submitted.</summary>
    public byte[] Envelope { get; }

    /// <summary>SHA3-256 of <see cref="Envelope"/>: what commit notices list.</summary>
    public Hash32 Id { get; }

    /// <summary>The worker (connection) that sends it.</summary>
    public int Worker { get; }

    /// <summary>
    /// Set only for a worker's unmeasured first transaction of a step: completes with null when it
    /// is committed and applied, or with the reason it was not.
    /// </summary>
    public TaskCompletionSource<string?>? Probe { get; }

    /// <summary>Intended send time (open loop: on the schedule; closed loop: the send), Stopwatch ticks.</summary>
    public long IntendedAt { get; private set; }

    /// <summary>When the submit call was made, Stopwatch ticks.</summary>
    public long SentAt { get; private set; }

    /// <summary>Intended inside the measured window: counted in the step's results.</summary>
    public bool Measured { get; private set; }

    /// <summary>Committed and applied (set by the commit watcher when it finishes this transaction that way).</summary>
    public bool Committed { get; private set; }

    /// <summary>Marks a transaction this caller finished (<see cref="TryFinish"/>) as committed and applied.</summary>
    public void MarkCommitted() => Committed = true;

    /// <summary>Records the send; called once, by the sending worker, before the submit call.</summary>
    public void MarkSent(long intendedAt, long sentAt, bool measured)
    {
        IntendedAt = intendedAt;
        SentAt = sentAt;
        Measured = measured;
        Volatile.Write(ref _state, InFlight);
    }

    /// <summary>True for exactly one caller once the transaction is in flight: the one that decides its outcome.</summary>
    public bool TryFinish() => Interlocked.CompareExchange(ref _state, Finished, InFlight) == InFlight;
}
