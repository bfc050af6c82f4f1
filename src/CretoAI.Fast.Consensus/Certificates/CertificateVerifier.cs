using System.Numerics;
using CretoAI.Fast.Consensus.Evidence;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Certificates;

/// <summary>
/// Checks every signed thing consensus accepts, against the local validator set. Certificates are
/// verified in bitmap order only until the verified weight reaches the threshold (ML-DSA cannot be
/// aggregated, so every signature avoided is ~0.1 ms saved), and a vote signature verified once —
/// as a loose vote or inside another certificate — is never verified again while cached.
/// </summary>
public sealed class CertificateVerifier
{
    private readonly Hash32 _chainId;
    private readonly ValidatorSet _validators;
    private readonly IThreatLevelProvider _levels;
    private readonly IConsensusVerifier _verifier;
    private readonly Hash32 _genesisId;
    private readonly Dictionary<VoteKey, byte[]> _verifiedVotes = [];
    private readonly Dictionary<(ulong Round, int Voter, ulong HighQcRound), byte[]> _verifiedTimeouts = [];
    private readonly Dictionary<(Hash32 Block, ulong Round), QuorumCertificate> _verifiedQcs = [];

    public CertificateVerifier(Hash32 chainId, ValidatorSet validators, IThreatLevelProvider levels, IConsensusVerifier verifier, Hash32 genesisId)
    {
        _chainId = chainId;
        _validators = validators ?? throw new ArgumentNullException(nameof(validators));
        _levels = levels ?? throw new ArgumentNullException(nameof(levels));
        _verifier = verifier ?? throw new ArgumentNullException(nameof(verifier));
        _genesisId = genesisId;
    }

    /// <summary>Signatures actually checked (cache hits excluded); lets tests and benchmarks see the cache work.</summary>
    public long SignaturesChecked { get; private set; }

    public ValidatorSet Validators => _validators;

    public ThreatLevel LevelAt(ulong height) => _levels.LevelAt(height);

    public bool VerifyProposal(Proposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var block = proposal.Block;
        if (block.ChainId != _chainId || block.Epoch != _validators.Epoch || (uint)block.ProposerIndex >= (uint)_validators.Count)
        {
            return false;
        }

        return VerifyBlockStatement(SignedKind.Proposal, block.Round, block.Height, block.Id, block.ProposerIndex, proposal.Signature);
    }

    public bool VerifyVote(Vote vote)
    {
        ArgumentNullException.ThrowIfNull(vote);
        if (vote.Epoch != _validators.Epoch || (uint)vote.VoterIndex >= (uint)_validators.Count)
        {
            return false;
        }

        var key = new VoteKey(vote.Round, vote.Height, vote.BlockId, vote.VoterIndex);
        if (_verifiedVotes.TryGetValue(key, out var known) && known.AsSpan().SequenceEqual(vote.Signature))
        {
            return true;
        }

        if (!VerifyBlockStatement(SignedKind.Vote, vote.Round, vote.Height, vote.BlockId, vote.VoterIndex, vote.Signature))
        {
            return false;
        }

        _verifiedVotes[key] = vote.Signature;
        return true;
    }

    public bool VerifyTimeout(TimeoutMessage timeout)
    {
        ArgumentNullException.ThrowIfNull(timeout);
        if (timeout.Epoch != _validators.Epoch || (uint)timeout.VoterIndex >= (uint)_validators.Count || timeout.HighQc.Round >= timeout.Round)
        {
            return false;
        }

        return VerifyTimeoutSignature(timeout.Round, timeout.VoterIndex, timeout.HighQc.Round, timeout.Signature);
    }

    public bool VerifyQc(QuorumCertificate qc)
    {
        ArgumentNullException.ThrowIfNull(qc);
        if (qc.Epoch != _validators.Epoch)
        {
            return false;
        }

        if (qc.Round == 0)
        {
            // Round 0 belongs to genesis alone, which needs no signatures.
            return qc.Height == 0 && qc.BlockId == _genesisId && qc.Signatures.Count == 0 && qc.SignerBitmap.Count == 0;
        }

        if (_verifiedQcs.TryGetValue((qc.BlockId, qc.Round), out var seen) && (ReferenceEquals(seen, qc) || SameSigners(seen, qc)))
        {
            return true;
        }

        var bitmap = qc.BitmapArray;
        if (!_validators.IsWellFormedBitmap(bitmap) || qc.Signatures.Count != PopCount(bitmap))
        {
            return false;
        }

        var level = _levels.LevelAt(qc.Height);
        if (!_validators.ReachesQuorum(_validators.Tally(bitmap), level))
        {
            return false; // cheap rejection before any signature work
        }

        ulong verifiedWeight = 0;
        var pending = new List<(int Index, VoteKey Key, byte[] Signature)>();
        var slot = 0;
        foreach (var index in SetBits(bitmap))
        {
            var signature = qc.Signatures[slot++];
            var key = new VoteKey(qc.Round, qc.Height, qc.BlockId, index);
            verifiedWeight += _validators.WeightOf(index);
            if (_verifiedVotes.TryGetValue(key, out var known) && known.AsSpan().SequenceEqual(signature))
            {
                if (_validators.ReachesQuorum(verifiedWeight, level) && pending.Count == 0)
                {
                    break;
                }

                continue;
            }

            pending.Add((index, key, signature));
            if (_validators.ReachesQuorum(verifiedWeight, level))
            {
                break; // signers after the threshold are not needed and not checked
            }
        }

        if (pending.Count > 0)
        {
            var checks = new SignatureCheck[pending.Count];
            for (var i = 0; i < pending.Count; i++)
            {
                var statement = new byte[SigningDomain.BlockStatementSize];
                SigningDomain.WriteBlockStatement(SignedKind.Vote, _chainId, qc.Epoch, qc.Round, qc.Height, qc.BlockId, statement);
                checks[i] = new SignatureCheck(_validators[pending[i].Index].PublicKey, statement, SigningDomain.VoteContext.ToArray(), pending[i].Signature);
            }

            SignaturesChecked += checks.Length;
            if (!_verifier.VerifyAll(checks))
            {
                return false;
            }

            foreach (var (_, key, signature) in pending)
            {
                _verifiedVotes[key] = signature;
            }
        }

        _verifiedQcs[(qc.BlockId, qc.Round)] = qc;
        return true;
    }

    public bool VerifyTc(TimeoutCertificate tc)
    {
        ArgumentNullException.ThrowIfNull(tc);
        var bitmap = tc.BitmapArray;
        if (tc.Epoch != _validators.Epoch || !_validators.IsWellFormedBitmap(bitmap))
        {
            return false;
        }

        var signers = PopCount(bitmap);
        if (tc.Signatures.Count != signers || tc.HighQcRounds.Count != signers || tc.HighQc.Round != tc.MaxHighQcRound || tc.HighQc.Round >= tc.Round)
        {
            return false;
        }

        var level = _levels.LevelAt(tc.HighQc.Height + 1);
        if (!_validators.ReachesQuorum(_validators.Tally(bitmap), level) || !VerifyQc(tc.HighQc))
        {
            return false;
        }

        ulong weight = 0;
        var slot = 0;
        foreach (var index in SetBits(bitmap))
        {
            if (tc.HighQcRounds[slot] >= tc.Round || !VerifyTimeoutSignature(tc.Round, index, tc.HighQcRounds[slot], tc.Signatures[slot]))
            {
                return false;
            }

            slot++;
            weight += _validators.WeightOf(index);
            if (_validators.ReachesQuorum(weight, level))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Evidence is valid when both statements are signed by the named validator and name different blocks.</summary>
    public bool VerifyEvidence(EquivocationEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        if (evidence.Epoch != _validators.Epoch || (uint)evidence.ValidatorIndex >= (uint)_validators.Count || evidence.Kind is not (SignedKind.Proposal or SignedKind.Vote))
        {
            return false;
        }

        if (evidence.First.BlockId == evidence.Second.BlockId && evidence.First.Height == evidence.Second.Height)
        {
            return false;
        }

        return VerifyBlockStatement(evidence.Kind, evidence.Round, evidence.First.Height, evidence.First.BlockId, evidence.ValidatorIndex, evidence.First.Signature)
            && VerifyBlockStatement(evidence.Kind, evidence.Round, evidence.Second.Height, evidence.Second.BlockId, evidence.ValidatorIndex, evidence.Second.Signature);
    }

    /// <summary>Forgets cached verifications of rounds below <paramref name="round"/>; bounds memory.</summary>
    public void PruneBelow(ulong round)
    {
        foreach (var key in _verifiedVotes.Keys.Where(k => k.Round < round).ToList())
        {
            _verifiedVotes.Remove(key);
        }

        foreach (var key in _verifiedTimeouts.Keys.Where(k => k.Round < round).ToList())
        {
            _verifiedTimeouts.Remove(key);
        }

        foreach (var key in _verifiedQcs.Keys.Where(k => k.Round < round).ToList())
        {
            _verifiedQcs.Remove(key);
        }
    }

    private bool VerifyBlockStatement(SignedKind kind, ulong round, ulong height, Hash32 blockId, int signer, byte[] signature)
    {
        Span<byte> statement = stackalloc byte[SigningDomain.BlockStatementSize];
        SigningDomain.WriteBlockStatement(kind, _chainId, _validators.Epoch, round, height, blockId, statement);
        SignaturesChecked++;
        return _verifier.Verify(_validators[signer].PublicKey.Span, statement, SigningDomain.ContextOf(kind), signature);
    }

    private bool VerifyTimeoutSignature(ulong round, int voter, ulong highQcRound, byte[] signature)
    {
        var key = (round, voter, highQcRound);
        if (_verifiedTimeouts.TryGetValue(key, out var known) && known.AsSpan().SequenceEqual(signature))
        {
            return true;
        }

        Span<byte> statement = stackalloc byte[SigningDomain.TimeoutStatementSize];
        SigningDomain.WriteTimeoutStatement(_chainId, _validators.Epoch, round, highQcRound, statement);
        SignaturesChecked++;
        if (!_verifier.Verify(_validators[voter].PublicKey.Span, statement, SigningDomain.TimeoutContext, signature))
        {
            return false;
        }

        _verifiedTimeouts[key] = signature;
        return true;
    }

    private static bool SameSigners(QuorumCertificate a, QuorumCertificate b)
    {
        if (a.Height != b.Height || !a.BitmapArray.AsSpan().SequenceEqual(b.BitmapArray) || a.Signatures.Count != b.Signatures.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Signatures.Count; i++)
        {
            if (!a.Signatures[i].AsSpan().SequenceEqual(b.Signatures[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static int PopCount(ulong[] bitmap)
    {
        var count = 0;
        foreach (var word in bitmap)
        {
            count += BitOperations.PopCount(word);
        }

        return count;
    }

    internal static IEnumerable<int> SetBits(ulong[] bitmap)
    {
        for (var w = 0; w < bitmap.Length; w++)
        {
            var bits = bitmap[w];
            while (bits != 0)
            {
                yield return (w * 64) + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
            }
        }
    }
}
