using CretoAI.Fast.Core;

namespace CretoAI.Fast.Routing.Router;

/// <summary>
/// One message on its way to one recipient: its key, the recipient, and the bytes the recipient gets
/// (the Deliver payload: sender id ‖ the send as signed, docs/protocol.md §12), shared by every copy of
/// a fan-out. Owned by the router's mailboxes; its mutable state changes under the router's lock only.
/// </summary>
public sealed class RoutedMessage
{
    public RoutedMessage(MessageKey key, Hash32 recipient, ReadOnlyMemory<byte> deliver, bool isFanOut, long receivedTimestamp)
    {
        Key = key;
        Recipient = recipient;
        Deliver = deliver;
        IsFanOut = isFanOut;
        ReceivedTimestamp = receivedTimestamp;
    }

    public MessageKey Key { get; }

    /// <summary>The agent this copy goes to (for a fan-out copy, one of the agents with the tag).</summary>
    public Hash32 Recipient { get; }

    /// <summary>The Deliver payload.</summary>
    public ReadOnlyMemory<byte> Deliver { get; }

    public bool IsFanOut { get; }

    /// <summary>When the send was read (Stopwatch ticks, for the routing latency histogram).</summary>
    public long ReceivedTimestamp { get; }

    internal ReplyTarget ReplyTo { get; set; }

    internal long ExpiresAtMs { get; set; }

    internal bool InFlight { get; set; }

    internal long RetryAtMs { get; set; }

    /// <summary>Times this copy was handed to a connection or a node.</summary>
    public int Attempts { get; internal set; }

    internal RoutedMessage CopyFor(Hash32 recipient) => new(Key, recipient, Deliver, IsFanOut, ReceivedTimestamp);
}
