using System.Net;
using CretoAI.Fast.Consensus.Engine;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net;
using CretoAI.Fast.Node.Chain;
using CretoAI.Fast.Node.Routing;
using CretoAI.Fast.Node.Settings;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Storage.Blocks;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// One validator: storage and recovery, the consensus thread, the commit (apply) thread, validator
/// links, catch-up, the mempool and the client gateway. See the project README for the threads
/// and the durability rules.
/// </summary>
public sealed partial class ValidatorNode : IValidatorNode
{
    private readonly NodeSettings _settings;
    private readonly ChainGenesis _genesis;
    private readonly IMessageSigner _identity;
    private readonly ILogger _log;
    private readonly ILoggerFactory _loggers;
    private readonly IReplicaObserver _observer;
    private readonly Hash32 _chainId;
    private readonly ValidatorSet _validators;
    private readonly ConsensusConfig _config;
    private readonly int _me;
    private readonly Mempool _mempool;
    private readonly VerifiedSignatureCache _signatures;
    private readonly MLDsa87BatchVerifier _batchVerifier;
    private readonly CancellationTokenSource _stopping = new();
    private readonly IReadOnlyList<EndPoint> _peers;
    private readonly IPEndPoint _listen;
    private readonly Hash32 _genesisId;

    private readonly StorageOpening? _storageOpening;
    private NodeStorage? _storage;
    private BlockArchive? _archive;
    private ValidatorLedger? _ledger;
    private FrameServer? _server;
    private ValidatorLinks? _links;
    private AgentGateway? _agentGateway;
    private int _started;
    private int _stopped;

    /// <summary>
    /// Builds a validator from validated settings, its genesis and its identity key. With
    /// <paramref name="storage"/> (started on the same settings), start-up takes the storage from it
    /// instead of opening the data directory itself; the caller still disposes it (a no-op once taken).
    /// </summary>
    /// <exception cref="InvalidSettingException">The identity is not a validator of this genesis, or a peer address is unusable.</exception>
    public ValidatorNode(NodeSettings settings, ChainGenesis genesis, IMessageSigner identity, ILoggerFactory loggers, IReplicaObserver? observer = null, StorageOpening? storage = null)
    {
        _storageOpening = storage;
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _genesis = genesis ?? throw new ArgumentNullException(nameof(genesis));
        _identity = identity ?? throw new ArgumentNullException(nameof(identity));
        _loggers = loggers ?? throw new ArgumentNullException(nameof(loggers));
        _log = loggers.CreateLogger("cretoai.node");
        _observer = observer ?? NullReplicaObserver.Instance;
        _chainId = genesis.ChainId;
        var idleDelay = Math.Max(0, Math.Min(settings.IdleProposalDelayMs, (genesis.BaseRoundTimeoutMs / 2) - 1));
        if (idleDelay < settings.IdleProposalDelayMs)
        {
            _log.LogWarning("idle_proposal_delay_ms {Setting} is not below half of the chain's base_round_timeout_ms ({Timeout}); using {Used} ms.", settings.IdleProposalDelayMs, genesis.BaseRoundTimeoutMs, idleDelay);
        }

        _config = genesis.CreateConsensusConfig(FixedThreatLevel.Normal, idleDelay);
        _validators = _config.Validators;
        _genesisId = Block.Genesis(_chainId, _validators.Epoch, _config.GenesisTimeMs).Id;
        _me = _validators.IndexOf(identity.NodeId);
        if (_me < 0)
        {
            throw new InvalidSettingException("identity_key_file", $"node id {identity.NodeId.ToShortString()} is not one of the {_validators.Count} validators in the genesis file");
        }

        _mempool = new Mempool(settings.MempoolMaxTransactions, settings.MempoolMaxBytes);
        _heldWhilePaused = new HeldMessages(_validators.Count);
        _batchVerifier = new MLDsa87BatchVerifier(maxDegreeOfParallelism: settings.VerifyThreads);
        _signatures = new VerifiedSignatureCache(new MLDsa87ConsensusVerifier(MLDsa87SignatureVerifier.Instance, _batchVerifier));
        _listen = settings.GetListenEndPoint();
        _peers = settings.GetPeerEndPoints();
        _status = new NodeStatus(identity.NodeId, _chainId, 0, Hash32.Zero, Hash32.Zero, 0, 0, 0, 0, 0, CatchingUp: true);
    }

    /// <summary>This validator's index in the genesis set.</summary>
    public int ValidatorIndex => _me;

    /// <summary>The bound client/validator endpoint once started (port 0 resolves here).</summary>
    public IPEndPoint? LocalEndPoint => _server?.LocalEndPoint;

    /// <summary>The agent router of this node (null before start).</summary>
    public AgentGateway? AgentRouter => _agentGateway;

    /// <summary>Transport counters of the server socket (metrics).</summary>
    public TransportCounters? Transport => _server?.Counters;

    /// <summary>True while the consensus thread is alive and the node has not failed.</summary>
    public bool IsHealthy => _driverThread is { IsAlive: true } && _applyThread is { IsAlive: true } && _fatal is null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The node was already started.");
        }

        Recover();
        _agentGateway = new AgentGateway(
            _settings.Router,
            new RegistryAgentDirectory(Agents!, _ledger!.Reputation, () => (long)Volatile.Read(ref _appliedHeight)),
            _chainId,
            _identity.NodeId,
            _me,
            _validators.Count,
            new LinkRoute(this),
            _loggers.CreateLogger("cretoai.router"),
            _settings.VerifyThreads);
        _agentGateway.LatencyObserved = _observer.MessageRouted;
        _server = new FrameServer(
            new TransportOptions
            {
                ChainId = _chainId,
                MaxConnections = _settings.MaxConnections,
                MaxPayloadLength = _settings.MaxFramePayloadBytes,
                ShutdownTimeout = TimeSpan.FromSeconds(Math.Max(1, _settings.ShutdownTimeoutSeconds / 3)),
                BusyPollMicroseconds = _settings.NetBusyPollUs,
            },
            _identity,
            MLDsa87SignatureVerifier.Instance,
            new ValidatorAuthorizer(_validators),
            new ClientGateway(this),
            _loggers.CreateLogger("cretoai.net"));
        try
        {
            _server.Start(_listen);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            throw new InvalidSettingException("listen", $"cannot listen on {_listen}: {ex.Message}", ex);
        }

        _links = new ValidatorLinks(_validators, _me, _peers, _chainId, _settings.MaxFramePayloadBytes, _identity, _loggers.CreateLogger("cretoai.links"), OnLinkFrame, OnLinkUp, OnLinkDown);
        _links.Start();
        _agentGateway.Start();
        StartAdmission();
        StartApplyThread();
        StartDriverThread();
        _catchUp = Task.Run(() => CatchUpLoopAsync(_stopping.Token), CancellationToken.None);
        _log.LogInformation(
            "Validator {Index} of {Count} ({NodeId}) serving on {Listen}, chain {ChainId}, committed height {Height}, {Peers} peer address(es).",
            _me,
            _validators.Count,
            _identity.NodeId.ToShortString(),
            _server.LocalEndPoint,
            _chainId.ToShortString(),
            _appliedHeight,
            _peers.Count);
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0 || _started == 0)
        {
            return;
        }

        _log.LogInformation("Stopping: no new connections; draining.");
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_agentGateway is not null)
        {
            await _agentGateway.DisposeAsync().ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _driverSignal.Set();
        _driverThread?.Join();
        _applyQueue.CompleteAdding();
        _applyThread?.Join();
        if (_checkpointInFlight is not null)
        {
            await _checkpointInFlight.ConfigureAwait(false);
        }

        if (_catchUp is not null)
        {
            await Quietly(_catchUp).ConfigureAwait(false);
        }

        if (_admission is not null)
        {
            await Quietly(_admission).ConfigureAwait(false);
        }

        if (_links is not null)
        {
            await _links.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var subscriber in _subscribers.Values)
        {
            subscriber.Close();
        }

        if (_fatal is null && _storage is not null)
        {
            await StartCheckpoint("shutdown").ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        _archive?.Dispose();
        _storage?.Dispose();
        _stopping.Dispose();
        _driverSignal.Dispose();
        _applyQueue.Dispose();
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private sealed class LinkRoute(ValidatorNode node) : IRouteLinks
    {
        public bool Send(int node1, Wire.MessageType type, byte[] payload) => node._links?.Send(node1, type, 0, payload) ?? false;
    }

    private sealed class ValidatorAuthorizer(ValidatorSet validators) : IPeerAuthorizer
    {
        public bool IsAuthorized(Hash32 peerId, Wire.Handshake.PeerRole role) => role != Wire.Handshake.PeerRole.Validator || validators.IndexOf(peerId) >= 0;
    }
}
