namespace CretoAI.Fast.Cli.Cluster;

/// <summary>One row of the node table: the last status a node answered, and whether it is up.</summary>
internal sealed record NodeSnapshot(int Index, int Port, bool Up, ulong Height, ulong Round, int ConnectedValidators, int MempoolTransactions, string StateHash, string Note);
