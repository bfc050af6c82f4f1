namespace CretoAI.Fast.Routing.Router;

/// <summary>
/// What the router asks its transport to do. <see cref="MessageRouter"/> calls these after releasing
/// its lock, on the thread of the call that caused them; implementations must not block (queue, or
/// start asynchronous work).
/// </summary>
public interface IRouterOutput
{
    /// <summary>The agent of <paramref name="session"/> has queued messages: run its delivery pump (<see cref="MessageRouter.TryTakeForDelivery"/> until false).</summary>
    void WakeDelivery(AgentSession session);

    /// <summary>Send <paramref name="message"/> (a direct message or a fan-out) to node <paramref name="node"/>.</summary>
    void Forward(int node, RoutedMessage message);

    /// <summary>Tell node <paramref name="node"/> the outcome of a message it forwarded here.</summary>
    void ForwardResult(int node, DeliveryKey key, RouteStatus status);

    /// <summary>Answer a local sender's pending send (the waiter passed to <see cref="MessageRouter.Route"/>).</summary>
    void Complete(object waiter, RoutedMessage message, RouteStatus status, string detail);

    /// <summary>The session was logged out by a newer login of the same agent; close its delivery stream.</summary>
    void Replaced(AgentSession session);
}
