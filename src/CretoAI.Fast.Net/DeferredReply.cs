namespace CretoAI.Fast.Net;

/// <summary>
/// A request accepted now and answered later; counts against the connection's in-flight limit
/// until answered. It names a slot of the connection's in-flight table and that slot's generation,
/// so answering it a second time is detected and refused instead of sending two replies.
/// </summary>
public readonly record struct DeferredReply(uint CorrelationId, int Slot, int Generation);
