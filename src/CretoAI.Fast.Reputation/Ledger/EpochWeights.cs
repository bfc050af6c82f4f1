using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Reputation.Ledger;

/// <summary>
/// The voting weights of one epoch, computed from committed state at the previous epoch's last
/// block: per genesis candidate (in genesis order) its inputs and resulting weight (0 = ineligible).
/// </summary>
public sealed class EpochWeights
{
    public required ulong Epoch { get; init; }

    /// <summary>Height of the block whose state the weights were computed from.</summary>
    public required ulong ComputedAtHeight { get; init; }

    public required IReadOnlyList<Hash32> Candidates { get; init; }

    public required IReadOnlyList<ulong> Stake { get; init; }

    public required IReadOnlyList<uint> ReputationPpm { get; init; }

    public required IReadOnlyList<uint> UptimePpm { get; init; }

    public required IReadOnlyList<ulong> Weights { get; init; }

    public required WeightSummary Summary { get; init; }

    /// <summary>Weight of <paramref name="validator"/> (0 when ineligible or unknown).</summary>
    public ulong WeightOf(Hash32 validator)
    {
        for (var i = 0; i < Candidates.Count; i++)
        {
            if (Candidates[i] == validator)
            {
                return Weights[i];
            }
        }

        return 0;
    }
}
