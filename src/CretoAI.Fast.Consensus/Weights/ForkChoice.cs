using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Weights;

/// <summary>
/// Chooses among competing certified chains (for a node that syncs or a client that follows): the longest
/// (highest tip), then the heaviest (tip cumulative weight), then the lowest tip block id (bytes compared
/// lexicographically, unsigned) — a total order, so every node picks the same chain from the same set.
/// </summary>
public static class ForkChoice
{
    /// <summary>Positive when <paramref name="a"/> is preferred, negative when <paramref name="b"/> is, 0 for the same tip.</summary>
    public static int Compare(CertifiedChain a, CertifiedChain b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Compare(a.Tip, b.Tip);
    }

    /// <summary>Compares two tips by the fork-choice order (positive: <paramref name="a"/> wins).</summary>
    public static int Compare(ChainLink a, ChainLink b)
    {
        if (a.Height != b.Height)
        {
            return a.Height > b.Height ? 1 : -1;
        }

        if (a.CumulativeWeight != b.CumulativeWeight)
        {
            return a.CumulativeWeight > b.CumulativeWeight ? 1 : -1;
        }

        // Lower hash wins, so the byte order is reversed.
        return -CompareIds(a.BlockId, b.BlockId);
    }

    /// <summary>Index of the preferred chain.</summary>
    /// <exception cref="ArgumentException">No chains.</exception>
    public static int SelectBest(ReadOnlySpan<CertifiedChain> chains)
    {
        if (chains.IsEmpty)
        {
            throw new ArgumentException("Fork choice needs at least one chain.", nameof(chains));
        }

        var best = 0;
        for (var i = 1; i < chains.Length; i++)
        {
            if (Compare(chains[i], chains[best]) > 0)
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>
    /// First height both chains cover where their block ids differ (a fork point), or null when they agree
    /// everywhere they overlap.
    /// </summary>
    public static ulong? FirstDivergence(CertifiedChain a, CertifiedChain b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var from = Math.Max(a.Links[0].Height, b.Links[0].Height);
        var through = Math.Min(a.Tip.Height, b.Tip.Height);
        for (var height = from; height <= through && height >= from; height++)
        {
            a.TryGetLink(height, out var left);
            b.TryGetLink(height, out var right);
            if (left.BlockId != right.BlockId)
            {
                return height;
            }
        }

        return null;
    }

    /// <summary>Lexicographic unsigned byte order of the 32 bytes.</summary>
    public static int CompareIds(Hash32 a, Hash32 b)
    {
        Span<byte> left = stackalloc byte[Hash32.Size];
        Span<byte> right = stackalloc byte[Hash32.Size];
        a.CopyTo(left);
        b.CopyTo(right);
        return left.SequenceCompareTo(right);
    }
}
