using System.Net;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.LoadGen;

/// <summary>
/// Everything a run needs, validated from the command line. <see cref="Rates"/> empty means one
/// closed-loop step; otherwise one open-loop step per offered rate (requests/s over all workers).
/// <see cref="Targets"/> lists every node a <c>tx</c> run submits to (<see cref="Target"/> is the
/// first); <see cref="Transactions"/> is how many transactions a closed-loop <c>tx</c> step pre-signs.
/// A zero <see cref="ChainId"/> (tx) means "learn the chain from the node's handshake".
/// </summary>
internal sealed record LoadPlan(
    string Mode,
    EndPoint Target,
    int Connections,
    int Depth,
    int PayloadBytes,
    TimeSpan Duration,
    TimeSpan Warmup,
    IReadOnlyList<double> Rates,
    Hash32 ChainId,
    TimeSpan ConnectTimeout,
    TimeSpan Drain,
    IReadOnlyList<EndPoint>? Targets = null,
    int Transactions = 0)
{
    public bool IsOpenLoop => Rates.Count > 0;

    public IReadOnlyList<EndPoint> AllTargets => Targets is { Count: > 0 } targets ? targets : [Target];
}
