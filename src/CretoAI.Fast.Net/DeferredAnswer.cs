using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Net;

/// <summary>The answer to a deferred request: its reply frame's type and payload (see <see cref="RequestContext.CompleteAllAsync"/>).</summary>
public readonly record struct DeferredAnswer(DeferredReply Reply, MessageType Type, ReadOnlyMemory<byte> Payload);
