using CretoAI.Fast.Core;

namespace CretoAI.Fast.Routing.Router;

/// <summary>
/// The messages this node holds for one recipient, in arrival order: queued (not yet handed out) or
/// in flight (handed to the recipient's connection or forwarded, awaiting the acknowledgement).
/// Bounded by the router's per-mailbox count and bytes; a message leaves when acknowledged, refused
/// downstream or expired — each of those answers its sender.
/// </summary>
internal sealed class Mailbox(Hash32 recipient)
{
    private readonly List<RoutedMessage> _messages = [];

    public Hash32 Recipient { get; } = recipient;

    public int Count => _messages.Count;

    public long Bytes { get; private set; }

    public IReadOnlyList<RoutedMessage> Messages => _messages;

    public void Add(RoutedMessage message)
    {
        _messages.Add(message);
        Bytes += message.Deliver.Length;
    }

    public RoutedMessage? Find(MessageKey key)
    {
        foreach (var message in _messages)
        {
            if (message.Key == key)
            {
                return message;
            }
        }

        return null;
    }

    public RoutedMessage? Remove(MessageKey key)
    {
        for (var i = 0; i < _messages.Count; i++)
        {
            var message = _messages[i];
            if (message.Key == key)
            {
                RemoveAt(i);
                return message;
            }
        }

        return null;
    }

    public void RemoveAt(int index)
    {
        Bytes -= _messages[index].Deliver.Length;
        _messages.RemoveAt(index);
    }

    /// <summary>The oldest message not in flight, marked in flight; null when there is none.</summary>
    public RoutedMessage? TakeQueued(long nowMs, long retryAfterMs)
    {
        foreach (var message in _messages)
        {
            if (!message.InFlight)
            {
                message.InFlight = true;
                message.RetryAtMs = nowMs + retryAfterMs;
                message.Attempts++;
                return message;
            }
        }

        return null;
    }

    /// <summary>Every in-flight message goes back to queued (its connection or node went away).</summary>
    public void Requeue()
    {
        foreach (var message in _messages)
        {
            message.InFlight = false;
        }
    }
}
