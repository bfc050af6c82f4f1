using System.Net;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.LoadGen;

/// <summary>
/// Everything a run needs, validated from the command line. <see cref="Rates"/> empty means one
/// closed-loop step; otherwise one open-loop step per offered rate (requests/s over all workers).
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
    TimeSpan Drain)
{
    public bool IsOpenLoop => Rates.Count > 0;
}
