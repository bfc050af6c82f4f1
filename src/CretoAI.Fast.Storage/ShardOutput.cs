namespace CretoAI.Fast.Storage;

/// <summary>
/// Where a read delivers its value: the caller's pinned destination buffer and a pointer to the caller's
/// stack <see cref="ReadOutcome"/>. FASTER copies outputs around for pending (on-disk) reads, so the result
/// goes through pointers rather than fields; the caller completes pending work before its buffers unpin.
/// </summary>
internal unsafe struct ShardOutput
{
    public byte* Destination;
    public int Capacity;
    public ReadOutcome* Outcome;
}
