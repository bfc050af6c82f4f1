using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Consensus.Validators;

/// <summary>
/// The validators of one epoch, in a fixed order: index i is bit i of every signer bitmap. Weights
/// are inputs; the total and the quorum thresholds are computed here, locally, never taken from a
/// message. Immutable.
/// </summary>
public sealed class ValidatorSet
{
    private readonly Validator[] _validators;
    private readonly Dictionary<Hash32, int> _indexById;
    private readonly int[] _leaderSchedule;

    // The weights again as one contiguous array: the layout VoteTally's vector kernels read.
    private readonly ulong[] _weights;

    public ValidatorSet(ulong epoch, IReadOnlyList<Validator> validators)
    {
        ArgumentNullException.ThrowIfNull(validators);
        if (validators.Count == 0)
        {
            throw new ArgumentException("A validator set needs at least one validator.", nameof(validators));
        }

        Epoch = epoch;
        _validators = new Validator[validators.Count];
        _weights = new ulong[validators.Count];
        _indexById = new Dictionary<Hash32, int>(validators.Count);
        UInt128 total = 0;
        for (var i = 0; i < validators.Count; i++)
        {
            var v = validators[i] ?? throw new ArgumentException($"Validator {i} is null.", nameof(validators));
            if (v.Weight == 0)
            {
                throw new ArgumentException($"Validator {i} has weight 0; ineligible validators must be left out.", nameof(validators));
            }

            if (Sha3.Hash256(v.PublicKey.Span) != v.NodeId)
            {
                throw new ArgumentException($"Validator {i}: node id is not SHA3-256 of its public key.", nameof(validators));
            }

            if (!_indexById.TryAdd(v.NodeId, i))
            {
                throw new ArgumentException($"Validator {i} appears twice ({v.NodeId.ToShortString()}).", nameof(validators));
            }

            _validators[i] = v;
            _weights[i] = v.Weight;
            total += v.Weight;
        }

        if (total > ulong.MaxValue / 2)
        {
            throw new ArgumentException("Total weight must stay below 2^63 so tallies cannot overflow.", nameof(validators));
        }

        TotalWeight = (ulong)total;
        BitmapWords = (validators.Count + 63) / 64;
        _leaderSchedule = BuildLeaderSchedule(_validators, TotalWeight);
    }

    public ulong Epoch { get; }

    public int Count => _validators.Length;

    public ulong TotalWeight { get; }

    /// <summary>Length in 64-bit words of a signer bitmap for this set.</summary>
    public int BitmapWords { get; }

    public Validator this[int index] => _validators[index];

    public ulong WeightOf(int index) => _validators[index].Weight;

    /// <summary>Index of a validator, or -1 if the node is not in this set.</summary>
    public int IndexOf(Hash32 nodeId) => _indexById.TryGetValue(nodeId, out var i) ? i : -1;

    /// <summary>
    /// Sum of the weights of the validators whose bit is set, by the SIMD <see cref="VoteTally"/>.
    /// Bits beyond <see cref="Count"/> are ignored; a bitmap of another length is cut or zero-padded
    /// to <see cref="BitmapWords"/> first (well-formedness is <see cref="IsWellFormedBitmap"/>'s job).
    /// </summary>
    public ulong Tally(ReadOnlySpan<ulong> signerBitmap)
    {
        if (signerBitmap.Length == BitmapWords)
        {
            return VoteTally.Tally(signerBitmap, _weights);
        }

        Span<ulong> resized = BitmapWords <= 64 ? stackalloc ulong[BitmapWords] : new ulong[BitmapWords];
        resized.Clear();
        signerBitmap[..Math.Min(signerBitmap.Length, BitmapWords)].CopyTo(resized);
        return VoteTally.Tally(resized, _weights);
    }

    /// <summary>The least weight that reaches the quorum of <paramref name="level"/>.</summary>
    public ulong QuorumWeight(ThreatLevel level) => QuorumThreshold.MinimumWeight(TotalWeight, level);

    public bool ReachesQuorum(ulong weight, ThreatLevel level) => QuorumThreshold.IsReached(weight, TotalWeight, level);

    /// <summary>True when a bitmap is well formed for this set: right length, no bit beyond the last validator.</summary>
    public bool IsWellFormedBitmap(ReadOnlySpan<ulong> bitmap)
    {
        if (bitmap.Length != BitmapWords)
        {
            return false;
        }

        var tailBits = Count % 64;
        return tailBits == 0 || (bitmap[^1] >> tailBits) == 0;
    }

    /// <summary>
    /// Leader of a round: a smooth weighted round-robin cycle over the validators (each leads a share
    /// of rounds proportional to its weight, spread evenly). Deterministic from the validator set of
    /// the epoch, which is committed state; see docs/consensus.md for why weighted and smooth.
    /// </summary>
    public int LeaderOf(ulong round) => _leaderSchedule[(int)(round % (ulong)_leaderSchedule.Length)];

    /// <summary>Length of the leader cycle.</summary>
    public int LeaderCycleLength => _leaderSchedule.Length;

    /// <summary>Largest leader cycle: weights are scaled down (keeping at least 1 slot each) so the schedule stays small.</summary>
    public const int MaxLeaderCycle = 4096;

    private static int[] BuildLeaderSchedule(Validator[] validators, ulong total)
    {
        // Slots per validator: its weight, scaled so the cycle is at most MaxLeaderCycle long.
        var order = BuildLeaderOrder(validators);
        var slots = new long[validators.Length];
        long cycle = 0;
        foreach (var i in order)
        {
            var scaled = total <= MaxLeaderCycle ? validators[i].Weight : (ulong)((UInt128)validators[i].Weight * (MaxLeaderCycle - (ulong)validators.Length) / total);
            slots[i] = (long)Math.Max(1UL, scaled);
            cycle += slots[i];
        }

        // Smooth weighted round-robin: every step each validator gains its slots, the richest leads
        // and pays the cycle length. Over one cycle each leads exactly slots[i] rounds, interleaved.
        var current = new long[validators.Length];
        var schedule = new int[cycle];
        for (var step = 0; step < cycle; step++)
        {
            var best = -1;
            foreach (var i in order)
            {
                current[i] += slots[i];
                if (best < 0 || current[i] > current[best])
                {
                    best = i;
                }
            }

            current[best] -= cycle;
            schedule[step] = best;
        }

        return schedule;
    }

    private static int[] BuildLeaderOrder(Validator[] validators)
    {
        var order = new int[validators.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            var byWeight = validators[b].Weight.CompareTo(validators[a].Weight);
            return byWeight != 0 ? byWeight : CompareIds(validators[a].NodeId, validators[b].NodeId);
        });
        return order;
    }

    private static int CompareIds(Hash32 a, Hash32 b)
    {
        Span<byte> x = stackalloc byte[Hash32.Size];
        Span<byte> y = stackalloc byte[Hash32.Size];
        a.CopyTo(x);
        b.CopyTo(y);
        return x.SequenceCompareTo(y);
    }
}
