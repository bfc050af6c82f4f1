namespace CretoAI.Fast.Storage;

/// <summary>Applies one replayed WAL record to state; the record is valid only during the call.</summary>
public delegate void WalRecordHandler(WalRecord record);
