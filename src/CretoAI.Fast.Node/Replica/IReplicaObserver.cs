using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// Events the validator reports as they happen, for metrics (and tests). The node calls these from
/// its own threads; implementations must be cheap, thread-safe and never throw. Durations are in
/// seconds. <see cref="NullReplicaObserver"/> ignores everything.
/// </summary>
public interface IReplicaObserver
{
    /// <summary>A block was committed, written to the WAL and applied.</summary>
    /// <param name="height">Its height.</param>
    /// <param name="transactions">Transactions it carried.</param>
    /// <param name="commitLatencySeconds">From the proposal's timestamp to local apply.</param>
    void BlockCommitted(ulong height, int transactions, double commitLatencySeconds);

    /// <summary>A submitted transaction got its verdict (accepted or the reason it was refused).</summary>
    void TransactionSubmitted(SubmitStatus status);

    /// <summary>The mempool size changed.</summary>
    void MempoolSize(int transactions, long bytes);

    /// <summary>A batch of signatures (transactions, votes, certificates) was verified.</summary>
    void SignaturesVerified(int count, int rejected, double seconds);

    /// <summary>A quorum certificate was formed from collected votes.</summary>
    void QuorumCertificateFormed(int signatures, double aggregationSeconds);

    /// <summary>Weights of a new epoch were computed.</summary>
    void WeightsComputed(ulong totalStake, int eligibleValidators, double averageWeight, double seconds);

    /// <summary>The quorum state at the current height (level 0..2, threshold in percent).</summary>
    void QuorumState(ThreatLevel level, uint thresholdPercent, double detectionRate, double stability);

    /// <summary>The threat level changed.</summary>
    void ThreatLevelChanged(ThreatLevel from, ThreatLevel to);

    /// <summary>A fork (conflicting certified chains) was detected.</summary>
    void ForkDetected();

    /// <summary>A detected fork was resolved (true) or could not be (false).</summary>
    void ForkResolved(bool resolved, double seconds);

    /// <summary>Equivocation evidence was found or received and accepted.</summary>
    void EvidenceAccepted();

    /// <summary>This validator's round timer expired in its current round (it sent a timeout message).</summary>
    void RoundTimedOut();

    /// <summary>Number of authenticated validator links.</summary>
    void ValidatorLinks(int connected);

    /// <summary>A WAL append was made durable.</summary>
    void WalSynced(int bytes, double seconds);

    /// <summary>A checkpoint was written.</summary>
    void CheckpointWritten(ulong height, double seconds);

    /// <summary>Catch-up applied a batch of certified blocks fetched from a peer.</summary>
    void CatchUpBatch(int blocks, double seconds);

    /// <summary>A routed message was acknowledged by its recipient; seconds from its send's arrival here to that answer.</summary>
    void MessageRouted(double seconds);
}
