using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Node.Replica;

/// <summary>An observer that ignores every event (tests, tools).</summary>
public sealed class NullReplicaObserver : IReplicaObserver
{
    public static NullReplicaObserver Instance { get; } = new();

    public void BlockCommitted(ulong height, int transactions, double commitLatencySeconds) { }

    public void TransactionSubmitted(SubmitStatus status) { }

    public void MempoolSize(int transactions, long bytes) { }

    public void SignaturesVerified(int count, int rejected, double seconds) { }

    public void QuorumCertificateFormed(int signatures, double aggregationSeconds) { }

    public void WeightsComputed(ulong totalStake, int eligibleValidators, double averageWeight, double seconds) { }

    public void QuorumState(ThreatLevel level, uint thresholdPercent, double detectionRate, double stability) { }

    public void ThreatLevelChanged(ThreatLevel from, ThreatLevel to) { }

    public void ForkDetected() { }

    public void ForkResolved(bool resolved, double seconds) { }

    public void EvidenceAccepted() { }

    public void RoundTimedOut() { }

    public void ValidatorLinks(int connected) { }

    public void WalSynced(int bytes, double seconds) { }

    public void CheckpointWritten(ulong height, double seconds) { }

    public void CatchUpBatch(int blocks, double seconds) { }

    public void MessageRouted(double seconds) { }
}
