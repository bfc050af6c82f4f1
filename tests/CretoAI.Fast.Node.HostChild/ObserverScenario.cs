using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Node.Replica;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Node.HostChild;

/// <summary>Every <see cref="IReplicaObserver"/> event once, with values the metrics tests check.</summary>
public static class ObserverScenario
{
    public static void FeedEveryEventOnce(IReplicaObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        observer.BlockCommitted(5, 10, 0.02);
        observer.TransactionSubmitted(SubmitStatus.Accepted);
        observer.MempoolSize(7, 7000);
        observer.SignaturesVerified(64, 2, 0.004);
        observer.QuorumCertificateFormed(3, 0.001);
        observer.WeightsComputed(4_000_000, 4, 0.25, 0.0005);
        observer.QuorumState(ThreatLevel.Elevated, 75, 0.05, 0.95);
        observer.ThreatLevelChanged(ThreatLevel.Normal, ThreatLevel.Elevated);
        observer.ForkDetected();
        observer.ForkResolved(resolved: true, 1.5);
        observer.EvidenceAccepted();
        observer.RoundTimedOut();
        observer.ValidatorLinks(3);
        observer.WalSynced(4096, 0.0003);
        observer.CheckpointWritten(5, 0.2);
        observer.CatchUpBatch(64, 0.5);
        observer.MessageRouted(0.001);
    }
}
