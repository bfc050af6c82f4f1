using System.Diagnostics;
using CretoAI.Fast.LoadGen.Engine;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.LoadGen.Modes;

/// <summary>
/// The bookkeeping of one running <c>tx</c> step: which pre-signed transaction a commit notice is
/// about (by id, in whatever order they come), the outcome of each measured one, and each worker's
/// in-flight limit. Successes and their latencies are recorded only by the commit watcher's loop
/// (one writer per histogram); failures may come from any thread and are counted atomically.
/// </summary>
internal sealed class TxStep
{
    private readonly IReadOnlyList<WorkerStats> _stats;
    private readonly SemaphoreSlim[] _slots;
    private readonly int[] _outstanding;
    private readonly double _nanosPerTick = 1e9 / Stopwatch.Frequency;
    private readonly bool _openLoop;

    public TxStep(TransactionSet transactions, IReadOnlyList<WorkerStats> stats, int depth, bool openLoop)
    {
        Transactions = transactions;
        _openLoop = openLoop;
        _stats = stats;
        _slots = new SemaphoreSlim[stats.Count];
        _outstanding = new int[stats.Count];
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new SemaphoreSlim(depth, depth);
        }
    }

    public TransactionSet Transactions { get; }

    /// <summary>Set when a closed-loop worker ran out of pre-signed transactions before the window closed.</summary>
    public bool Exhausted { get; set; }

    /// <summary>Waits for one of worker <paramref name="worker"/>'s in-flight slots until <paramref name="deadline"/> (Stopwatch ticks); false if none freed up by then.</summary>
    public Task<bool> WaitForSlotAsync(int worker, long deadline, CancellationToken cancellationToken)
    {
        var left = deadline - Stopwatch.GetTimestamp();
        return _slots[worker].WaitAsync(TimeSpan.FromSeconds(Math.Max(0, (double)left / Stopwatch.Frequency)), cancellationToken);
    }

    /// <summary>
    /// Open loop, at the end of the drain: the worker's transactions from <paramref name="first"/> on
    /// whose intended time is in the measured window were never sent (Depth stayed uncommitted):
    /// counted as sent and failed, so the step's counts cover its whole schedule.
    /// </summary>
    public void FailUnsent(int worker, StepWindow window, OpenLoopSchedule schedule, int first)
    {
        var stats = _stats[worker];
        for (long i = first; ; i++)
        {
            var intended = schedule.IntendedAt(i);
            if (intended >= window.StopAt)
            {
                return;
            }

            if (window.IsMeasured(intended))
            {
                stats.CountSent();
                stats.CountFailed("not sent: --depth transactions uncommitted until the drain ended");
            }
        }
    }

    /// <summary>Gives back a slot taken but not used (the window closed meanwhile).</summary>
    public void ReturnSlot(int worker) => _slots[worker].Release();

    /// <summary>Called by the worker right after <see cref="PendingTransaction.MarkSent"/>.</summary>
    public void OnSent(PendingTransaction transaction)
    {
        Interlocked.Increment(ref _outstanding[transaction.Worker]);
        if (transaction.Measured)
        {
            _stats[transaction.Worker].CountSent();
        }
    }

    /// <summary>Transactions of the worker sent and not yet finished.</summary>
    public int Outstanding(int worker) => Volatile.Read(ref _outstanding[worker]);

    /// <summary>A commit notice listed <paramref name="transaction"/>; called on the watcher's loop only.</summary>
    public void OnCommitted(PendingTransaction transaction, byte verdict, long receivedAt)
    {
        if (!transaction.TryFinish())
        {
            return;
        }

        var applied = TransactionVerdicts.IsSuccess(verdict);
        if (applied)
        {
            transaction.MarkCommitted();
        }

        if (transaction.Probe is { } probe)
        {
            probe.TrySetResult(applied ? null : $"committed but {TransactionVerdicts.Name(verdict)}");
            return;
        }

        if (transaction.Measured)
        {
            var stats = _stats[transaction.Worker];
            if (applied)
            {
                stats.CountSucceeded();
                stats.Corrected.RecordValue(LatencyHistograms.Clamp((long)((receivedAt - transaction.IntendedAt) * _nanosPerTick)));
                if (_openLoop)
                {
                    stats.Service.RecordValue(LatencyHistograms.Clamp((long)((receivedAt - transaction.SentAt) * _nanosPerTick)));
                }
            }
            else
            {
                stats.CountFailed($"committed: {TransactionVerdicts.Name(verdict)}");
            }
        }

        Release(transaction);
    }

    /// <summary>The transaction ended without a commit (refused, connection lost, timed out).</summary>
    public void OnFailed(PendingTransaction transaction, string reason)
    {
        if (!transaction.TryFinish())
        {
            return;
        }

        if (transaction.Probe is { } probe)
        {
            probe.TrySetResult(reason);
            return;
        }

        if (transaction.Measured)
        {
            _stats[transaction.Worker].CountFailed(reason);
        }

        Release(transaction);
    }

    private void Release(PendingTransaction transaction)
    {
        Interlocked.Decrement(ref _outstanding[transaction.Worker]);
        _slots[transaction.Worker].Release();
    }
}
