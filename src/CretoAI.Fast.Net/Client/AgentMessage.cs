using CretoAI.Fast.Core;
using CretoAI.Fast.Routing.Router;

namespace CretoAI.Fast.Net.Client;

/// <summary>One message delivered to an agent: who sent it, its id, its payload and the whole Deliver payload (sender id ‖ signed send) for end-to-end checks.</summary>
public sealed record AgentMessage(MessageKey Key, bool IsFanOut, Hash32 Target, ReadOnlyMemory<byte> Payload, ReadOnlyMemory<byte> Deliver)
{
    public Hash32 Sender => Key.Sender;

    public ulong MessageId => Key.Id;
}
