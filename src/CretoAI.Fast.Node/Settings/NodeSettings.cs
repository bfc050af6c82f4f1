using System.Net;
using CretoAI.Fast.Core;
using CretoAI.Fast.Net;
using CretoAI.Fast.Routing.Router;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Routing;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Settings;

/// <summary>
/// Everything an operator may set for one validator process. Loaded by <see cref="NodeSettingsFile.Load(string?, IReadOnlyList{string}?)"/>
/// from the config file, then <c>CRETOAI_FAST_</c> environment variables, then <c>--set name=value</c>
/// on the command line (later wins), and validated at start-up with messages that name the setting
/// (<see cref="Validate"/>, <see cref="ValidateFiles"/>). Relative paths are relative to the config
/// file's directory. Every setting, its environment variable and its default: docs/operations.md.
/// Values that must be equal on every validator are not here: they are in the genesis file.
/// </summary>
public sealed class NodeSettings
{
    public const long MiB = 1024 * 1024;

    public const int MaxMempoolTransactions = 10_000_000;

    public const long MinMempoolBytes = MiB;

    public const long MaxMempoolBytes = 64 * 1024 * MiB;

    public const int MaxCheckpointEveryBlocks = 10_000_000;

    public const int MaxSyncBatchBlocks = 10_000;

    public const int MinSyncBatchMaxBytes = 64 * 1024;

    public const int MaxShutdownTimeoutSeconds = 3600;

    public const int MaxPeers = 1024;

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

    /// <summary>
    /// How long this validator, as leader with nothing to propose, waits before proposing an empty
    /// block (0: at once, every round makes a block). Transactions end the wait at once.
    /// </summary>
    public int IdleProposalDelayMs { get; set; } = 100;

    /// <summary>Most blocks in one catch-up response.</summary>
    public int SyncBatchBlocks { get; set; } = 64;

    /// <summary>Most bytes in one catch-up response (bounds memory while catching up).</summary>
    public int SyncBatchMaxBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Largest frame payload accepted from validators and clients.</summary>
    public int MaxFramePayloadBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Time allowed on SIGTERM to drain and checkpoint before exiting.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 15;

    /// <summary>Most concurrent connections on <see cref="Listen"/> (agents, clients and validators together).</summary>
    public int MaxConnections { get; set; } = 10_240;

    /// <summary>
    /// Longest time, in microseconds, a receive loop keeps polling after a connection's requests
    /// before it sleeps (0: never); adaptive within this bound (<see cref="TransportOptions.BusyPollMicroseconds"/>).
    /// </summary>
    public int NetBusyPollUs { get; set; } = TransportOptions.DefaultBusyPollMicroseconds;

    /// <summary>
    /// Threads each signature batch (a block's transactions, a quorum certificate, routed messages) is
    /// verified on; 0: every core. Validators sharing a machine should divide its cores between them
    /// (<c>testnet init</c> writes cores ÷ validators, at least 1).
    /// </summary>
    public int VerifyThreads { get; set; }

    /// <summary>Largest <see cref="VerifyThreads"/> accepted.</summary>
    public const int MaxVerifyThreads = 1024;

    /// <summary>Bounds of the agent message router (docs/routing.md).</summary>
    public RouterSettings Router { get; } = new();

    /// <summary>Least severe log level written.</summary>
    public LogLevel LogLevel { get; set; } = LogLevel.Information;

    /// <summary>Send systemd watchdog keep-alives when the unit sets <c>WatchdogSec=</c> (off: never, even if asked).</summary>
    public bool Watchdog { get; set; } = true;

    /// <summary>
    /// Checks every value (not the file system: <see cref="ValidateFiles"/>) and throws
    /// <see cref="InvalidSettingException"/> for the first bad one, naming it and saying why. Returns this.
    /// </summary>
    public NodeSettings Validate()
    {
        Require("data_directory", DataDirectory);
        Require("identity_key_file", IdentityKeyFile);
        Require("genesis_file", GenesisFile);
        if (MaxConnections is < 1 or > 1_000_000)
        {
            throw new InvalidSettingException("max_connections", $"{MaxConnections} must be between 1 and 1,000,000.");
        }

        var listen = GetListenEndPoint();
        if (Peers.Count > MaxPeers)
        {
            throw new InvalidSettingException("peers", $"{Peers.Count} peers; at most {MaxPeers}.");
        }

        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Peers.Count; i++)
        {
            var setting = $"peers[{i}]";
            var peer = Peers[i] ?? string.Empty;
            if (EndpointText.ParsePeer(peer, out var error) is null)
            {
                throw new InvalidSettingException(setting, error);
            }

            if (!seen.TryAdd(peer, i))
            {
                throw new InvalidSettingException(setting, $"'{peer}' is listed twice (also peers[{seen[peer]}]).");
            }

            if (string.Equals(peer, Listen, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidSettingException(setting, $"'{peer}' is this node's own listen address; list only the other validators.");
            }
        }

        if (GetMetricsEndPoint() is { } metrics && metrics.Port == listen.Port &&
            (metrics.Address.Equals(listen.Address) || IsAny(metrics.Address) || IsAny(listen.Address)))
        {
            throw new InvalidSettingException("metrics_listen", $"'{MetricsListen}' overlaps the listen address '{Listen}'; give metrics its own port.");
        }

        Range("mempool_max_transactions", MempoolMaxTransactions, 1, MaxMempoolTransactions);
        if (MempoolMaxBytes < MinMempoolBytes)
        {
            throw new InvalidSettingException("mempool_max_bytes", $"{MempoolMaxBytes} must be ≥ 1 MiB ({MinMempoolBytes} bytes): the mempool must hold at least a few full blocks.");
        }

        Range("mempool_max_bytes", MempoolMaxBytes, MinMempoolBytes, MaxMempoolBytes);
        Range("checkpoint_every_blocks", CheckpointEveryBlocks, 1, MaxCheckpointEveryBlocks);
        Range("idle_proposal_delay_ms", IdleProposalDelayMs, 0, 60_000);
        Range("sync_batch_blocks", SyncBatchBlocks, 1, MaxSyncBatchBlocks);
        Range("max_frame_payload_bytes", MaxFramePayloadBytes, WireLimits.MaxHandshakePayloadLength, WireLimits.AbsoluteMaxPayloadLength);
        if (SyncBatchMaxBytes > MaxFramePayloadBytes)
        {
            throw new InvalidSettingException("sync_batch_max_bytes", $"{SyncBatchMaxBytes} is above max_frame_payload_bytes ({MaxFramePayloadBytes}): a catch-up response must fit in one frame.");
        }

        Range("sync_batch_max_bytes", SyncBatchMaxBytes, MinSyncBatchMaxBytes, MaxFramePayloadBytes);
        Range("shutdown_timeout_seconds", ShutdownTimeoutSeconds, 1, MaxShutdownTimeoutSeconds);
        Range("net_busy_poll_us", NetBusyPollUs, 0, TransportOptions.MaxBusyPollMicroseconds);
        Range("verify_threads", VerifyThreads, 0, MaxVerifyThreads);
        if (LogLevel is < LogLevel.Trace or > LogLevel.None)
        {
            throw new InvalidSettingException("log_level", $"{(int)LogLevel} is not a log level (Trace, Debug, Information, Warning, Error, Critical, None).");
        }

        Router.Validate();
        if (RouteSendLayout.EncodedLength(Router.MaxPayloadBytes) > MaxFramePayloadBytes)
        {
            throw new InvalidSettingException("router_max_payload_bytes", $"{Router.MaxPayloadBytes} bytes plus the send's header and signature do not fit in max_frame_payload_bytes ({MaxFramePayloadBytes}).");
        }

        return this;
    }

    /// <summary>
    /// Start-up checks against the file system: creates the data directory (mode 0700) if it is
    /// missing and proves it writable by creating and deleting a file in it; the identity key file
    /// and the genesis file must exist. Throws <see cref="InvalidSettingException"/> naming the setting.
    /// </summary>
    public void ValidateFiles()
    {
        var data = DataDirectory;
        if (File.Exists(data))
        {
            throw new InvalidSettingException("data_directory", $"'{data}' is a file, not a directory.");
        }

        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(data);
            }
            else
            {
                Directory.CreateDirectory(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var probe = Path.Combine(data, $".write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new InvalidSettingException("data_directory", $"'{data}' is not writable by this process: {e.Message}", e);
        }

        RequireFile("identity_key_file", IdentityKeyFile, " (create one with 'cretoai-fast keys generate')");
        RequireFile("genesis_file", GenesisFile, string.Empty);
    }

    /// <summary>The parsed <see cref="Listen"/> address.</summary>
    /// <exception cref="InvalidSettingException">It is not IP:PORT with a port in 1..65535.</exception>
    public IPEndPoint GetListenEndPoint() =>
        EndpointText.ParseListen(Listen ?? string.Empty, out var error) ?? throw new InvalidSettingException("listen", error);

    /// <summary>The parsed <see cref="MetricsListen"/> address, or null when metrics are off (empty).</summary>
    /// <exception cref="InvalidSettingException">It is neither empty nor IP:PORT with a port in 1..65535.</exception>
    public IPEndPoint? GetMetricsEndPoint() => string.IsNullOrEmpty(MetricsListen)
        ? null
        : EndpointText.ParseListen(MetricsListen, out var error) ?? throw new InvalidSettingException("metrics_listen", error);

    /// <summary>The parsed <see cref="Peers"/>: <see cref="IPEndPoint"/> for IP literals, <see cref="DnsEndPoint"/> for host names.</summary>
    /// <exception cref="InvalidSettingException">A peer is not HOST:PORT with a port in 1..65535.</exception>
    public IReadOnlyList<EndPoint> GetPeerEndPoints()
    {
        var peers = new EndPoint[Peers.Count];
        for (var i = 0; i < peers.Length; i++)
        {
            peers[i] = EndpointText.ParsePeer(Peers[i] ?? string.Empty, out var error) ?? throw new InvalidSettingException($"peers[{i}]", error);
        }

        return peers;
    }

    private static bool IsAny(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    private static void Require(string setting, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidSettingException(setting, "must not be empty.");
        }
    }

    private static void Range(string setting, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            throw new InvalidSettingException(setting, $"{value} is outside {min}..{max}.");
        }
    }

    private static void RequireFile(string setting, string path, string hint)
    {
        if (Directory.Exists(path))
        {
            throw new InvalidSettingException(setting, $"'{path}' is a directory, not a file.");
        }

        if (!File.Exists(path))
        {
            throw new InvalidSettingException(setting, $"'{path}' does not exist{hint}.");
        }
    }
}
