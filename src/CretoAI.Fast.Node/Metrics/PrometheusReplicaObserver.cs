using System.Globalization;
using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Net;
using CretoAI.Fast.Node.Replica;
using CretoAI.Fast.Routing.Router;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Client;
using Prometheus;

namespace CretoAI.Fast.Node.Metrics;

/// <summary>
/// The validator's Prometheus metrics: every <see cref="IReplicaObserver"/> event updates a
/// prometheus-net collector, and at each scrape the transport counters and the node's status
/// snapshot are copied in. Collectors live in a private <see cref="CollectorRegistry"/>, so two nodes
/// (or two tests) in one process never share a series. Names, types and labels are listed in
/// docs/metrics.md; every label has a fixed, small set of values (enum names), never a peer or a
/// transaction id.
/// </summary>
public sealed class PrometheusReplicaObserver : IReplicaObserver
{
    // Commit latency runs from a few milliseconds (one region) to seconds (a round timeout or two).
    private static readonly double[] CommitLatencyBuckets = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];

    // One ML-DSA-87 check takes about 0.1 ms; a batch of a few hundred spread over the cores up to tens of ms.
    private static readonly double[] VerifyBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    // fdatasync on an SSD is tens of microseconds; on a busy disk it can take most of a second.
    private static readonly double[] WalSyncBuckets = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    private static readonly double[] CheckpointBuckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60];

    private static readonly double[] ForkResolutionBuckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300];

    private static readonly double[] CatchUpBuckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30];

    private static readonly WireErrorCode[] ErrorCodes = ListErrorCodes();

    // Routing: a local delivery is sub-millisecond; a forward, an offline recipient or a slow reader reaches seconds.
    private static readonly double[] RoutingLatencyBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    // Mailbox depth buckets (non-cumulative agent counts by upper bound of depth), as MessageRouter.MailboxDepths fills them.
    private static readonly string[] MailboxDepthBounds = ["0", "1", "2", "4", "8", "16", "32", "64", "128", "256", "+Inf"];

    private readonly Gauge _totalStake;
    private readonly Gauge _eligibleVoters;
    private readonly Gauge _averageWeight;
    private readonly Histogram _weightsDuration;

    private readonly Gauge _quorumThreshold;
    private readonly Gauge _threatLevel;
    private readonly Gauge _detectionRatio;
    private readonly Gauge _stability;
    private readonly Counter.Child[] _levelChanges;

    private readonly Counter _signaturesVerified;
    private readonly Counter _signaturesRejected;
    private readonly Counter _signaturesCollected;
    private readonly Counter _aggregationsCompleted;
    private readonly Histogram _verifyDuration;
    private readonly Histogram _aggregationDuration;

    private readonly Counter _forksDetected;
    private readonly Counter _forksResolved;
    private readonly Counter _forksFailed;
    private readonly Gauge _activeForks;
    private readonly Histogram _forkResolutionDuration;
    private readonly Counter _evidenceAccepted;
    private readonly Counter _roundTimeouts;

    private readonly Histogram _commitLatency;
    private readonly Counter _transactionsCommitted;
    private readonly Gauge _height;
    private readonly Gauge _round;
    private readonly Gauge _epoch;
    private readonly Gauge _validatorsConnected;
    private readonly Gauge _catchingUp;
    private readonly Counter _catchUpBlocks;
    private readonly Histogram _catchUpDuration;

    private readonly Gauge _mempoolTransactions;
    private readonly Gauge _mempoolBytes;
    private readonly Counter.Child[] _admissions;

    private readonly Histogram _walSyncDuration;
    private readonly Counter _walSyncedBytes;
    private readonly Histogram _checkpointDuration;
    private readonly Gauge _checkpointHeight;

    private readonly Gauge _connectionsActive;
    private readonly Counter _connectionsAccepted;
    private readonly Counter _connectionsRejected;
    private readonly Counter _handshakesFailed;
    private readonly Counter _framesReceived;
    private readonly Counter _framesSent;
    private readonly Counter _bytesReceived;
    private readonly Counter _bytesSent;
    private readonly Counter.Child[] _transportErrors;

    private readonly Histogram _routingLatency;
    private readonly Gauge _agentsConnected;
    private readonly Counter _messagesRouted;
    private readonly Counter _messagesForwarded;
    private readonly Counter _messagesDelivered;
    private readonly Counter _messagesRedelivered;
    private readonly Counter.Child[] _sendsAnswered;
    private readonly Gauge.Child[] _mailboxDepths;
    private readonly Gauge _queuedBytes;
    private readonly Gauge _presenceEntries;
    private volatile Func<MessageRouter?>? _router;

    private long _activeForkCount;
    private long _heightHighWater;
    private volatile Func<NodeStatus?>? _status;
    private volatile Func<TransportCounters?>? _transport;

    /// <summary>Creates the collectors in a new private registry, every labelled series at zero.</summary>
    /// <param name="includeProcessMetrics">Also export prometheus-net's <c>process_*</c> and <c>dotnet_*</c> series.</param>
    public PrometheusReplicaObserver(bool includeProcessMetrics = true)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);

        _totalStake = factory.CreateGauge("cretoai_weighted_voting_total_stake", "Total bonded stake of the validator set of the current epoch, in stake units.");
        _eligibleVoters = factory.CreateGauge("cretoai_weighted_voting_eligible_voters", "Validators eligible to vote in the current epoch (stake and uptime minimums met).");
        _averageWeight = factory.CreateGauge("cretoai_weighted_voting_avg_weight", "Average voting weight of an eligible validator in the current epoch, as a fraction of the total weight.");
        _weightsDuration = Histogram(factory, "cretoai_weighted_voting_calc_duration_seconds", "Time to compute the voting weights of an epoch.", VerifyBuckets);

        _quorumThreshold = factory.CreateGauge("cretoai_adaptive_quorum_threshold_ratio", "Share of the total weight a quorum needs at the current height (0.67, 0.75 or 0.82).");
        _threatLevel = factory.CreateGauge("cretoai_adaptive_quorum_threat_level", "Threat level in force at the current height: 0 normal, 1 elevated, 2 high.");
        _detectionRatio = factory.CreateGauge("cretoai_adaptive_quorum_detection_ratio", "Validators with committed Byzantine evidence in the detection window, as a share of the validator set.");
        _stability = factory.CreateGauge("cretoai_adaptive_quorum_stability", "Network stability score (0..1) used by the adaptive quorum.");
        var levelChanges = factory.CreateCounter("cretoai_adaptive_quorum_level_changes_total", "Threat level changes, by the level changed to.", ["to"]);
        _levelChanges = Children(levelChanges, DenseValues<ThreatLevel>(), static level => level.ToString());

        _signaturesVerified = factory.CreateCounter("cretoai_multisig_signatures_verified_total", "ML-DSA-87 signatures checked (transactions, votes, certificates), valid or not.");
        _signaturesRejected = factory.CreateCounter("cretoai_multisig_signatures_rejected_total", "ML-DSA-87 signatures that did not verify.");
        _signaturesCollected = factory.CreateCounter("cretoai_multisig_signatures_collected_total", "Vote signatures aggregated into quorum certificates formed by this node.");
        _aggregationsCompleted = factory.CreateCounter("cretoai_multisig_aggregations_completed_total", "Quorum certificates formed by this node.");
        _verifyDuration = Histogram(factory, "cretoai_multisig_verification_duration_seconds", "Time to verify one batch of signatures.", VerifyBuckets);
        _aggregationDuration = Histogram(factory, "cretoai_multisig_aggregation_duration_seconds", "Time to form a quorum certificate from collected votes.", VerifyBuckets);

        _forksDetected = factory.CreateCounter("cretoai_fork_detector_forks_detected_total", "Forks (conflicting certified chains) detected.");
        _forksResolved = factory.CreateCounter("cretoai_fork_detector_forks_resolved_total", "Detected forks that were resolved.");
        _forksFailed = factory.CreateCounter("cretoai_fork_detector_forks_failed_total", "Detected forks whose resolution failed.");
        _activeForks = factory.CreateGauge("cretoai_fork_detector_active_forks", "Detected forks not yet resolved or failed.");
        _forkResolutionDuration = Histogram(factory, "cretoai_fork_detector_resolution_duration_seconds", "Time from a fork's detection to its resolution or failure.", ForkResolutionBuckets);
        _evidenceAccepted = factory.CreateCounter("cretoai_evidence_accepted_total", "Equivocation evidence found or received and accepted.");
        _roundTimeouts = factory.CreateCounter("cretoai_consensus_round_timeouts_total", "Expiries of this validator's round timer in its current round (each sends a timeout message): a leader down or slow, or messages lost.");

        _commitLatency = Histogram(factory, "cretoai_block_commit_latency_seconds", "Time from a block's proposal timestamp to its local apply; the count is the number of blocks committed.", CommitLatencyBuckets);
        _transactionsCommitted = factory.CreateCounter("cretoai_transactions_committed_total", "Transactions in committed blocks.");
        _height = factory.CreateGauge("cretoai_chain_height", "Height of the last committed block (0 = genesis only).");
        _round = factory.CreateGauge("cretoai_consensus_round", "Current consensus round.");
        _epoch = factory.CreateGauge("cretoai_consensus_epoch", "Current epoch.");
        _validatorsConnected = factory.CreateGauge("cretoai_validators_connected", "Authenticated links to other validators.");
        _catchingUp = factory.CreateGauge("cretoai_catching_up", "1 while fetching certified blocks from peers instead of voting, else 0.");
        _catchUpBlocks = factory.CreateCounter("cretoai_catchup_blocks_total", "Certified blocks applied by catch-up.");
        _catchUpDuration = Histogram(factory, "cretoai_catchup_batch_duration_seconds", "Time to fetch and apply one catch-up batch.", CatchUpBuckets);

        _mempoolTransactions = factory.CreateGauge("cretoai_mempool_transactions", "Transactions waiting in the mempool.");
        _mempoolBytes = factory.CreateGauge("cretoai_mempool_bytes", "Bytes of transactions waiting in the mempool.");
        var admissions = factory.CreateCounter("cretoai_mempool_admissions_total", "Transactions submitted for admission to the mempool, by verdict.", ["status"]);
        _admissions = Children(admissions, DenseValues<SubmitStatus>(), static status => status.ToString());

        _walSyncDuration = Histogram(factory, "cretoai_wal_sync_duration_seconds", "Time to make one WAL append durable.", WalSyncBuckets);
        _walSyncedBytes = factory.CreateCounter("cretoai_wal_synced_bytes_total", "Bytes made durable in the write-ahead log.");
        _checkpointDuration = Histogram(factory, "cretoai_checkpoint_duration_seconds", "Time to write one checkpoint.", CheckpointBuckets);
        _checkpointHeight = factory.CreateGauge("cretoai_checkpoint_last_height", "Height of the last checkpoint written.");

        _connectionsActive = factory.CreateGauge("cretoai_transport_connections_active", "Open connections (validators and clients).");
        _connectionsAccepted = factory.CreateCounter("cretoai_transport_connections_accepted_total", "Connections accepted.");
        _connectionsRejected = factory.CreateCounter("cretoai_transport_connections_rejected_total", "Connections refused at accept (connection limit).");
        _handshakesFailed = factory.CreateCounter("cretoai_transport_handshakes_failed_total", "Handshakes refused or not completed in time.");
        _framesReceived = factory.CreateCounter("cretoai_transport_frames_received_total", "Session frames received.");
        _framesSent = factory.CreateCounter("cretoai_transport_frames_sent_total", "Session frames sent.");
        _bytesReceived = factory.CreateCounter("cretoai_transport_received_bytes_total", "Bytes of session frames received.");
        _bytesSent = factory.CreateCounter("cretoai_transport_sent_bytes_total", "Bytes of session frames sent.");
        var errors = factory.CreateCounter("cretoai_transport_errors_total", "Protocol errors reported to peers or raised by the frame codec, by wire error code.", ["code"]);
        _transportErrors = Children(errors, ErrorCodes, static code => code.ToString());

        _routingLatency = Histogram(factory, "cretoai_router_routing_latency_seconds", "Time from a send's arrival at this node to its Delivered answer (the recipient's acknowledgement).", RoutingLatencyBuckets);
        _agentsConnected = factory.CreateGauge("cretoai_router_agents_connected", "Agents logged in on this node.");
        _messagesRouted = factory.CreateCounter("cretoai_router_messages_routed_total", "Messages accepted into a mailbox of this node (local sends, forwards from other nodes, fan-out copies).");
        _messagesForwarded = factory.CreateCounter("cretoai_router_messages_forwarded_total", "Messages and fan-outs sent to another node over the validator links, retries included.");
        _messagesDelivered = factory.CreateCounter("cretoai_router_messages_delivered_total", "Messages acknowledged by a recipient logged in on this node.");
        _messagesRedelivered = factory.CreateCounter("cretoai_router_messages_redelivered_total", "Messages handed to a recipient again because no acknowledgement came in time.");
        var answered = factory.CreateCounter("cretoai_router_sends_answered_total", "Sends answered by this node, by RouteStatus: Delivered and FannedOut are successes, every other value a refusal reason.", ["status"]);
        _sendsAnswered = Children(answered, DenseValues<RouteStatus>(), static status => status.ToString());
        var depths = factory.CreateGauge("cretoai_router_mailbox_depth_agents", "Agents by the depth of their mailbox on this node (messages queued or unacknowledged), per bucket (not cumulative) with upper bound depth_le.", ["depth_le"]);
        _mailboxDepths = Array.ConvertAll(MailboxDepthBounds, bound => depths.WithLabels(bound));
        _queuedBytes = factory.CreateGauge("cretoai_router_queued_bytes", "Bytes of messages held in this node's mailboxes.");
        _presenceEntries = factory.CreateGauge("cretoai_router_presence_entries", "Remote agents whose node this node knows from presence gossip.");

        if (includeProcessMetrics)
        {
            DotNetStats.Register(Registry);
        }

        Registry.AddBeforeCollectCallback(CopySnapshots);
    }

    /// <summary>The registry holding every collector of this observer (and nothing else).</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>
    /// Makes each scrape copy these snapshots in first: the node's status (height, round, epoch,
    /// links, mempool, catching up) and the transport counters. Either may return null (not yet
    /// available). Call again to replace them.
    /// </summary>
    public void ReadSnapshotsFrom(Func<NodeStatus?>? status, Func<TransportCounters?>? transport)
    {
        _status = status;
        _transport = transport;
    }

    /// <summary>Makes each scrape copy in the agent router's counts and gauges (null: not running).</summary>
    public void ReadRouterFrom(Func<MessageRouter?>? router) => _router = router;

    public void MessageRouted(double seconds) => Observe(_routingLatency, seconds);

    /// <summary>Writes every metric in the Prometheus text exposition format (version 0.0.4).</summary>
    public Task WriteTextAsync(Stream destination, CancellationToken cancellationToken) =>
        Registry.CollectAndExportAsTextAsync(destination, ExpositionFormat.PrometheusText, cancellationToken);

    public void BlockCommitted(ulong height, int transactions, double commitLatencySeconds)
    {
        RaiseHeight(height);
        Add(_transactionsCommitted, transactions);
        Observe(_commitLatency, commitLatencySeconds);
    }

    public void TransactionSubmitted(SubmitStatus status)
    {
        if ((uint)status < (uint)_admissions.Length)
        {
            _admissions[(int)status].Inc();
        }
    }

    public void MempoolSize(int transactions, long bytes)
    {
        _mempoolTransactions.Set(transactions);
        _mempoolBytes.Set(bytes);
    }

    public void SignaturesVerified(int count, int rejected, double seconds)
    {
        Add(_signaturesVerified, count);
        Add(_signaturesRejected, rejected);
        Observe(_verifyDuration, seconds);
    }

    public void QuorumCertificateFormed(int signatures, double aggregationSeconds)
    {
        Add(_signaturesCollected, signatures);
        _aggregationsCompleted.Inc();
        Observe(_aggregationDuration, aggregationSeconds);
    }

    public void WeightsComputed(ulong totalStake, int eligibleValidators, double averageWeight, double seconds)
    {
        _totalStake.Set(totalStake);
        _eligibleVoters.Set(eligibleValidators);
        _averageWeight.Set(averageWeight);
        Observe(_weightsDuration, seconds);
    }

    public void QuorumState(ThreatLevel level, uint thresholdPercent, double detectionRate, double stability)
    {
        _threatLevel.Set((double)level);
        _quorumThreshold.Set(thresholdPercent / 100.0);
        _detectionRatio.Set(detectionRate);
        _stability.Set(stability);
    }

    public void ThreatLevelChanged(ThreatLevel from, ThreatLevel to)
    {
        _threatLevel.Set((double)to);
        if ((uint)to < (uint)_levelChanges.Length)
        {
            _levelChanges[(int)to].Inc();
        }
    }

    public void ForkDetected()
    {
        _forksDetected.Inc();
        _activeForks.Set(Interlocked.Increment(ref _activeForkCount));
    }

    public void ForkResolved(bool resolved, double seconds)
    {
        (resolved ? _forksResolved : _forksFailed).Inc();
        var active = Interlocked.Decrement(ref _activeForkCount);
        if (active < 0)
        {
            // A resolution reported without its detection (a bug upstream): never show a negative count.
            Interlocked.CompareExchange(ref _activeForkCount, 0, active);
            active = 0;
        }

        _activeForks.Set(active);
        Observe(_forkResolutionDuration, seconds);
    }

    public void EvidenceAccepted() => _evidenceAccepted.Inc();

    public void RoundTimedOut() => _roundTimeouts.Inc();

    public void ValidatorLinks(int connected) => _validatorsConnected.Set(connected);

    public void WalSynced(int bytes, double seconds)
    {
        Add(_walSyncedBytes, bytes);
        Observe(_walSyncDuration, seconds);
    }

    public void CheckpointWritten(ulong height, double seconds)
    {
        _checkpointHeight.Set(height);
        Observe(_checkpointDuration, seconds);
    }

    public void CatchUpBatch(int blocks, double seconds)
    {
        Add(_catchUpBlocks, blocks);
        Observe(_catchUpDuration, seconds);
    }

    private void CopySnapshots()
    {
        // A scrape must never fail because a snapshot source did: the other series are still worth having.
        try
        {
            if (_status?.Invoke() is { } status)
            {
                RaiseHeight(status.Height);
                _round.Set(status.Round);
                _epoch.Set(status.Epoch);
                _validatorsConnected.Set(status.ConnectedValidators);
                _mempoolTransactions.Set(status.MempoolTransactions);
                _mempoolBytes.Set(status.MempoolBytes);
                _catchingUp.Set(status.CatchingUp ? 1 : 0);
            }
        }
        catch (Exception)
        {
        }

        try
        {
            if (_transport?.Invoke() is { } transport)
            {
                _connectionsActive.Set(transport.ConnectionsActive);
                _connectionsAccepted.IncTo(transport.ConnectionsAccepted);
                _connectionsRejected.IncTo(transport.ConnectionsRejected);
                _handshakesFailed.IncTo(transport.HandshakesFailed);
                _framesReceived.IncTo(transport.FramesReceived);
                _framesSent.IncTo(transport.FramesSent);
                _bytesReceived.IncTo(transport.BytesReceived);
                _bytesSent.IncTo(transport.BytesSent);
                for (var i = 0; i < ErrorCodes.Length; i++)
                {
                    _transportErrors[i].IncTo(transport.Errors(ErrorCodes[i]));
                }
            }
        }
        catch (Exception)
        {
        }

        try
        {
            CopyRouter();
        }
        catch (Exception)
        {
        }
    }

    private void CopyRouter()
    {
        if (_router?.Invoke() is not { } router)
        {
            return;
        }

        var counters = router.Counters;
        _agentsConnected.Set(router.ConnectedAgents);
        _messagesRouted.IncTo(counters.Routed);
        _messagesForwarded.IncTo(counters.Forwarded);
        _messagesDelivered.IncTo(counters.Delivered);
        _messagesRedelivered.IncTo(counters.Redelivered);
        for (var i = 0; i < _sendsAnswered.Length; i++)
        {
            _sendsAnswered[i].IncTo(counters.Answered((RouteStatus)i));
        }

        Span<long> depths = stackalloc long[MailboxDepthBounds.Length];
        router.MailboxDepths(depths);
        for (var i = 0; i < depths.Length; i++)
        {
            _mailboxDepths[i].Set(depths[i]);
        }

        _queuedBytes.Set(router.QueuedBytes);
        _presenceEntries.Set(router.KnownRemoteAgents);
    }

    // Height only moves forward: events and snapshots race, and the later of the two may carry the older value.
    private void RaiseHeight(ulong height)
    {
        var value = (long)Math.Min(height, long.MaxValue);
        var current = Interlocked.Read(ref _heightHighWater);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref _heightHighWater, value, current);
            if (seen == current)
            {
                _height.IncTo(value);
                return;
            }

            current = seen;
        }
    }

    // Counters refuse negative increments by throwing; an observer must never throw.
    private static void Add(Counter counter, long amount)
    {
        if (amount > 0)
        {
            counter.Inc(amount);
        }
    }

    private static void Observe(Histogram histogram, double seconds)
    {
        if (double.IsFinite(seconds))
        {
            histogram.Observe(Math.Max(seconds, 0));
        }
    }

    private static Histogram Histogram(IMetricFactory factory, string name, string help, double[] buckets) =>
        factory.CreateHistogram(name, help, new HistogramConfiguration { Buckets = buckets });

    // One child per label value, in the order given, created up front so every series is exported
    // from the first scrape (a rate over a series that appears late misses its first increments).
    private static Counter.Child[] Children<T>(Counter counter, T[] values, Func<T, string> label)
    {
        var children = new Counter.Child[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            children[i] = counter.WithLabels(label(values[i]));
        }

        return children;
    }

    // The observer indexes these children by the enum's value, so the values must be 0, 1, 2, ...
    private static T[] DenseValues<T>()
        where T : struct, Enum
    {
        var values = Enum.GetValues<T>();
        for (var i = 0; i < values.Length; i++)
        {
            if (Convert.ToInt32(values[i], CultureInfo.InvariantCulture) != i)
            {
                throw new InvalidOperationException($"{typeof(T).Name} values are not 0..{values.Length - 1}; index its series by position instead.");
            }
        }

        return values;
    }

    private static WireErrorCode[] ListErrorCodes()
    {
        var all = Enum.GetValues<WireErrorCode>();
        var codes = new List<WireErrorCode>(all.Length);
        foreach (var code in all)
        {
            if (code != WireErrorCode.None)
            {
                codes.Add(code);
            }
        }

        return [.. codes];
    }
}
