namespace CretoAI.Fast.Storage;

/// <summary>
/// One verified WAL record. <see cref="Payload"/> points into the reader's buffer and is valid only until
/// the next call on the <see cref="WalReader"/> that produced it; copy what must outlive that.
/// </summary>
public readonly ref struct WalRecord
{
    public WalRecord(WalRecordKind kind, long address, long nextAddress, ReadOnlySpan<byte> payload)
    {
        Kind = kind;
        Address = address;
        NextAddress = nextAddress;
        Payload = payload;
    }

    public WalRecordKind Kind { get; }

    /// <summary>Log address of this record (what <see cref="WriteAheadLog.Append"/> returned).</summary>
    public long Address { get; }

    /// <summary>Address just past this record: where a scan resumes, and the WAL position to pair with a checkpoint.</summary>
    public long NextAddress { get; }

    public ReadOnlySpan<byte> Payload { get; }
}
