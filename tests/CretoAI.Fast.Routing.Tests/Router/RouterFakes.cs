using CretoAI.Fast.Core;
using CretoAI.Fast.Routing.Router;

namespace CretoAI.Fast.Routing.Tests.Router;

/// <summary>Records what the router asks of its transport.</summary>
internal sealed class RecordingOutput : IRouterOutput
{
    public List<AgentSession> Woken { get; } = [];

    public List<(int Node, RoutedMessage Message)> Forwards { get; } = [];

    public List<(int Node, DeliveryKey Key, RouteStatus Status)> ForwardResults { get; } = [];

    public List<(object Waiter, MessageKey Key, RouteStatus Status, string Detail)> Completed { get; } = [];

    public List<AgentSession> ReplacedSessions { get; } = [];

    public void WakeDelivery(AgentSession session) => Woken.Add(session);

    public void Forward(int node, RoutedMessage message) => Forwards.Add((node, message));

    public void ForwardResult(int node, DeliveryKey key, RouteStatus status) => ForwardResults.Add((node, key, status));

    public void Complete(object waiter, RoutedMessage message, RouteStatus status, string detail) => Completed.Add((waiter, message.Key, status, detail));

    public void Replaced(AgentSession session) => ReplacedSessions.Add(session);
}

internal static class Agents
{
    public static Hash32 Id(int n)
    {
        var bytes = new byte[32];
        bytes[0] = (byte)n;
        bytes[1] = (byte)(n >> 8);
        bytes[31] = 0xA5;
        return new Hash32(bytes);
    }

    public static RoutedMessage Message(int sender, ulong id, int recipient, int size = 100) =>
        new(new MessageKey(Id(sender), id), Id(recipient), new byte[size], isFanOut: false, receivedTimestamp: 0);
}
