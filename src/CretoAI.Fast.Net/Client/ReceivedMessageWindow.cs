using CretoAI.Fast.Routing.Router;

namespace CretoAI.Fast.Net.Client;

/// <summary>
/// The keys of messages an agent has received, within a bounded window: the receiver side of
/// at-least-once delivery. Pass one window to every <see cref="AgentClient"/> of an agent
/// (<see cref="AgentClientOptions.Received"/>) so a message delivered again after a reconnect or a
/// node restart is recognised. Thread-safe.
/// </summary>
public sealed class ReceivedMessageWindow(int capacity, TimeSpan window)
{
    private readonly DedupWindow<MessageKey> _keys = new(capacity, (long)window.TotalMilliseconds);
    private readonly Lock _lock = new();

    /// <summary>Records <paramref name="key"/>; false when it was already received within the window.</summary>
    public bool TryAdd(MessageKey key)
    {
        lock (_lock)
        {
            return _keys.TryAdd(key, Environment.TickCount64);
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _keys.Count;
            }
        }
    }
}
