namespace CretoAI.Fast.Node.Settings;

/// <summary>
/// Everything an operator may set for one validator process. Bound from the config file, then
/// <c>CRETOAI_FAST_</c> environment variables, then the command line (later wins), and validated at
/// start-up with messages that name the setting. Relative paths are relative to the config file.
/// Values that must be equal on every validator are not here: they are in the genesis file.
/// </summary>
public sealed class NodeSettings
{
    /// <summary>Directory holding the store, the WAL, checkpoints and the safety state (locked while running).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>This validator's private key file (mode 0600).</summary>
    public string IdentityKeyFile { get; set; } = "node.key";

    /// <summary>The chain's genesis file.</summary>
    public string GenesisFile { get; set; } = "genesis.json";

    /// <summary>Address for validators and clients (one port; the handshake says which role).</summary>
    public string Listen { get; set; } = "127.0.0.1:7400";

    /// <summary>Addresses of the other validators; identities are proven at the handshake.</summary>
    public IList<string> Peers { get; } = [];

    /// <summary>Prometheus endpoint address, e.g. <c>127.0.0.1:9400</c>; empty disables it.</summary>
    public string MetricsListen { get; set; } = "";

    /// <summary>Mempool bound in transactions; a full mempool answers "busy".</summary>
    public int MempoolMaxTransactions { get; set; } = 20_000;

    /// <summary>Mempool bound in bytes.</summary>
    public long MempoolMaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Write a checkpoint every this many committed blocks.</summary>
    public int CheckpointEveryBlocks { get; set; } = 1000;

    /// <summary>Most blocks in one catch-up response.</summary>
    public int SyncBatchBlocks { get; set; } = 64;

    /// <summary>Most bytes in one catch-up response (bounds memory while catching up).</summary>
    public int SyncBatchMaxBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Largest frame payload accepted from validators and clients.</summary>
    public int MaxFramePayloadBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Time allowed on SIGTERM to drain and checkpoint before exiting.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 15;
}
