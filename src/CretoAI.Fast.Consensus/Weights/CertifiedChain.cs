namespace CretoAI.Fast.Consensus.Weights;

/// <summary>
/// A candidate chain for fork choice: certified blocks at consecutive heights, cumulative weight never
/// decreasing. The shape is checked once here so <see cref="ForkChoice"/> can compare tips only.
/// </summary>
public sealed class CertifiedChain
{
    private readonly ChainLink[] _links;

    /// <exception cref="ArgumentException">Empty, heights not consecutive, or cumulative weight decreasing.</exception>
    public CertifiedChain(ReadOnlySpan<ChainLink> links)
    {
        if (links.IsEmpty)
        {
            throw new ArgumentException("A certified chain has at least one block.", nameof(links));
        }

        for (var i = 1; i < links.Length; i++)
        {
            if (links[i].Height != links[i - 1].Height + 1)
            {
                throw new ArgumentException($"Heights must be consecutive: {links[i - 1].Height} is followed by {links[i].Height}.", nameof(links));
            }

            if (links[i].CumulativeWeight < links[i - 1].CumulativeWeight)
            {
                throw new ArgumentException($"Cumulative weight decreases at height {links[i].Height}.", nameof(links));
            }
        }

        _links = links.ToArray();
    }

    public ReadOnlySpan<ChainLink> Links => _links;

    public ChainLink Tip => _links[^1];

    /// <summary>The link at <paramref name="height"/>, if this chain covers it.</summary>
    public bool TryGetLink(ulong height, out ChainLink link)
    {
        var first = _links[0].Height;
        if (height < first || height - first >= (ulong)_links.Length)
        {
            link = default;
            return false;
        }

        link = _links[(int)(height - first)];
        return true;
    }
}
