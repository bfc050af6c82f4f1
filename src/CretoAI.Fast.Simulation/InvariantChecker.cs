using CretoAI.Fast.Consensus.Certificates;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Simulation;

/// <summary>
/// The safety invariants, checked on every commit any honest node makes (commits are the only
/// step outputs they depend on, so this is "after every step"):
/// agreement — no two honest nodes commit different blocks at one height;
/// stable prefix — each node commits height h+1 on top of its own block h, never rewriting;
/// certified — every committed block comes with a valid QC for exactly that block, verified here
/// against the validator set independently of the nodes.
/// Liveness is checked by the simulator after the heal; it also fails a run when any node finds
/// equivocation evidence against an honest validator (honest nodes never sign twice in a round).
/// </summary>
public sealed class InvariantChecker
{
    private readonly Dictionary<ulong, Hash32> _committedAt = [];
    private readonly Dictionary<int, Block> _tipOf = [];
    private readonly CertificateVerifier _verifier;
    private readonly Hash32 _genesisId;

    public InvariantChecker(CertificateVerifier verifier, Hash32 genesisId)
    {
        _verifier = verifier;
        _genesisId = genesisId;
    }

    public string? Violation { get; private set; }

    public void Fail(string violation) => Violation ??= violation;

    internal void OnCommit(SimulatedNode node, Block block, QuorumCertificate certificate, long time)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(certificate);
        if (!node.IsHonest)
        {
            return;
        }

        var previousId = _tipOf.TryGetValue(node.Instance, out var tip) ? tip.Id : _genesisId;
        var previousHeight = tip?.Height ?? 0;
        if (block.Height != previousHeight + 1 || block.ParentId != previousId)
        {
            Fail($"t={time}: node {node.Instance} committed {block} on top of its committed height {previousHeight} ({previousId.ToShortString()}): the committed prefix changed.");
        }

        if (_committedAt.TryGetValue(block.Height, out var agreed))
        {
            if (agreed != block.Id)
            {
                Fail($"t={time}: agreement broken at height {block.Height}: node {node.Instance} committed {block.Id.ToShortString()}, another honest node {agreed.ToShortString()}.");
            }
        }
        else
        {
            _committedAt[block.Height] = block.Id;
        }

        if (certificate.BlockId != block.Id || certificate.Round != block.Round || certificate.Height != block.Height || !_verifier.VerifyQc(certificate))
        {
            Fail($"t={time}: node {node.Instance} committed {block} without a valid QC for it ({certificate}).");
        }

        _tipOf[node.Instance] = block;
    }
}
