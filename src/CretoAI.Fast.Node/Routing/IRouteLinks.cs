using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Node.Routing;

/// <summary>How the agent gateway reaches the other validators (the node's <c>ValidatorLinks</c>; tests may fake it).</summary>
public interface IRouteLinks
{
    /// <summary>Queues one frame for validator <paramref name="node"/>; false when there is no live link to it.</summary>
    bool Send(int node, MessageType type, byte[] payload);
}
