using System.Globalization;

namespace CretoAI.Fast.Cli.Cluster;

/// <summary>
/// The last line <c>cluster up</c> prints, for people and scripts:
/// <c>cluster: height=H committed_tx=T tx_per_s=R p50_ms=A p99_ms=B</c>. Latencies are <c>n/a</c>
/// when no load transaction was committed (e.g. with --no-load).
/// </summary>
internal readonly record struct ClusterSummary(ulong Height, long CommittedTransactions, double Seconds, double? P50Ms, double? P99Ms)
{
    public double TransactionsPerSecond => Seconds > 0 ? CommittedTransactions / Seconds : 0;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"cluster: height={Height} committed_tx={CommittedTransactions} tx_per_s={TransactionsPerSecond:0.0} p50_ms={Ms(P50Ms)} p99_ms={Ms(P99Ms)}");

    internal static string Ms(double? value) => value is { } ms ? ms.ToString("0.0", CultureInfo.InvariantCulture) : "n/a";
}
