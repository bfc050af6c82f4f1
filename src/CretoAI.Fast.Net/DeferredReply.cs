namespace CretoAI.Fast.Net;

/// <summary>A request accepted now and answered later; counts against the connection's in-flight limit until answered.</summary>
public readonly record struct DeferredReply(uint CorrelationId);
