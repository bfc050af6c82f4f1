using CretoAI.Fast.Consensus.Messages;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// Consensus messages received while the engine is paused for catch-up, stepped once it runs
/// again. The first catch-up at start pauses the engine for a request to each peer; a fresh
/// cluster's first proposal and votes arrived in that window and were thrown away, so its first
/// round always had to time out.
/// </summary>
/// <remarks>
/// Used by the consensus thread only. Bounded in count and in an upper estimate of the bytes each
/// message keeps alive (a proposal's transactions, up to a few MiB); past either bound the oldest
/// go. A long catch-up makes old messages stale anyway, and the engine recovers lost ones by
/// timeouts.
/// </remarks>
internal sealed class HeldMessages
{
    /// <summary>Most messages held with up to 16 validators; 4 per validator above that (a round is a vote from each).</summary>
    public const int MinCapacity = 64;

    /// <summary>Most bytes held, as estimated by <see cref="EstimatedBytes"/>.</summary>
    public const long MaxBytes = 16 << 20;

    /// <summary>What any message is counted for besides a proposal's transactions: room for its certificates' signatures.</summary>
    public const long CertificateAllowance = 64 << 10;

    private readonly Queue<(int From, ConsensusMessage Message, long Bytes)> _held = new();

    /// <summary>Holds messages for a set of <paramref name="validators"/>.</summary>
    public HeldMessages(int validators = 4)
    {
        Capacity = Math.Max(MinCapacity, 4 * validators);
    }

    /// <summary>Most messages held.</summary>
    public int Capacity { get; }

    /// <summary>Messages held.</summary>
    public int Count => _held.Count;

    /// <summary>Estimated bytes held.</summary>
    public long Bytes { get; private set; }

    /// <summary>Messages dropped (oldest first) since the last <see cref="Drain"/>.</summary>
    public int Dropped { get; private set; }

    /// <summary>An upper estimate of what <paramref name="message"/> keeps alive.</summary>
    public static long EstimatedBytes(ConsensusMessage message)
    {
        var bytes = CertificateAllowance;
        if (message is Proposal proposal)
        {
            foreach (var tx in proposal.Block.Transactions)
            {
                bytes += tx.Length;
            }
        }

        return bytes;
    }

    /// <summary>Holds a message from validator <paramref name="from"/>; drops the oldest while over a bound (never the one just held).</summary>
    public void Hold(int from, ConsensusMessage message)
    {
        var bytes = EstimatedBytes(message);
        _held.Enqueue((from, message, bytes));
        Bytes += bytes;
        while (_held.Count > Capacity || (Bytes > MaxBytes && _held.Count > 1))
        {
            Bytes -= _held.Dequeue().Bytes;
            Dropped++;
        }
    }

    /// <summary>Hands every held message to <paramref name="step"/>, oldest first, and empties the queue.</summary>
    public void Drain(Action<int, ConsensusMessage> step)
    {
        while (_held.TryDequeue(out var held))
        {
            step(held.From, held.Message);
        }

        Bytes = 0;
        Dropped = 0;
    }
}
