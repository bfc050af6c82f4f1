namespace CretoAI.Fast.Storage;

/// <summary>What a WAL record holds. Stored as one byte; 0 is never written so zeroed disk never parses as a record.</summary>
public enum WalRecordKind : byte
{
    /// <summary>Never written; a zero kind byte marks invalid data.</summary>
    None = 0,

    /// <summary>A committed block.</summary>
    Block = 1,

    /// <summary>A quorum certificate.</summary>
    Certificate = 2,

    /// <summary>Consensus safety state (last voted round, locked certificate), persisted before a vote leaves.</summary>
    SafetyState = 3,

    /// <summary>A block the node voted for or proposed but has not seen committed (restart must know it).</summary>
    VotedBlock = 4,

    /// <summary>
    /// A block is committed: its commit certificate only. The block itself is in a
    /// <see cref="VotedBlock"/> record of the same log (earlier, or re-written by a later checkpoint).
    /// </summary>
    CommittedCertificate = 5,

    /// <summary>Anything else an upper layer logs; the payload says what.</summary>
    Other = 255,
}
