using CretoAI.Fast.LoadGen.Engine;

namespace CretoAI.Fast.LoadGen.Modes;

/// <summary>
/// <c>tx</c>: signed transactions submitted to a cluster, latency measured to commit through the
/// commit subscription. Needs the daemon (cluster, transactions, commit subscription), which has not
/// landed; until then opening it is a clear bad-input error (exit 2). When it lands, this becomes an
/// <see cref="ILoadMode"/> whose workers submit on one stream and match commit notifications (by
/// transaction id, out of order) to the intended send times kept per transaction.
/// </summary>
internal sealed class TxMode : ILoadMode
{
    public const string NotAvailable =
        "mode 'tx' is not available until the daemon (validator cluster, transactions, commit subscription) lands; use --mode ping, resp-ping or verify";

    public string Name => "tx";

    public int Workers => 0;

    public int ItemsPerRequest => 1;

    public string Target => "cluster";

    public Task OpenAsync(CancellationToken cancellationToken) => throw new LoadGenException(NotAvailable);

    public Task RunStepAsync(StepStart start, IReadOnlyList<WorkerStats> stats, CancellationToken cancellationToken) =>
        throw new LoadGenException(NotAvailable);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
