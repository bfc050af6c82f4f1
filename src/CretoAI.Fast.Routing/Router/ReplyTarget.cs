namespace CretoAI.Fast.Routing.Router;

/// <summary>Who waits for a message's outcome: a local sender's pending send (<see cref="Waiter"/>, opaque to the router), a node (<see cref="Node"/> ≥ 0), or nobody (a fan-out copy).</summary>
public readonly record struct ReplyTarget(object? Waiter, int Node)
{
    public static ReplyTarget None => new(null, -1);

    public static ReplyTarget Local(object waiter) => new(waiter, -1);

    public static ReplyTarget Remote(int node) => new(null, node);
}
