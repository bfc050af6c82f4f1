using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Core;
using CretoAI.Fast.Net;
using CretoAI.Fast.Node.HostChild;
using CretoAI.Fast.Node.Metrics;
using CretoAI.Fast.Node.Replica;
using CretoAI.Fast.Node.Tests.Infrastructure;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Node.Tests;

public sealed class PrometheusReplicaObserverTests
{
    [Fact]
    public async Task Every_documented_metric_is_exported_with_its_documented_type()
    {
        var observer = new PrometheusReplicaObserver();
        ObserverScenario.FeedEveryEventOnce(observer);
        observer.ReadSnapshotsFrom(() => Status(height: 5), () => new TransportCounters());

        var exposition = await ScrapeAsync(observer);

        var documented = MetricsDocument.Metrics();
        Assert.True(documented.Count >= 46, $"docs/metrics.md lists {documented.Count} metrics");
        foreach (var (name, type, _) in documented)
        {
            Assert.True(exposition.Types.TryGetValue(name, out var exported), $"{name} is documented but not exported");
            Assert.Equal(type, exported);
        }

        // And nothing of ours is exported undocumented.
        foreach (var name in exposition.Types.Keys)
        {
            if (name.StartsWith("cretoai_", StringComparison.Ordinal))
            {
                Assert.Contains(documented, metric => metric.Name == name);
            }
        }
    }

    [Fact]
    public async Task Seed_metrics_keep_their_names_under_the_prefix()
    {
        var documented = MetricsDocument.Metrics();
        var seed = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "docs", "metrics.md"));
        foreach (var name in new[]
        {
            "weighted_voting_total_stake", "weighted_voting_eligible_voters", "weighted_voting_avg_weight", "weighted_voting_calc_duration_seconds",
            "adaptive_quorum_threshold", "adaptive_quorum_threat_level", "adaptive_quorum_detection_rate", "adaptive_quorum_stability",
            "adaptive_quorum_level_changes_total", "multisig_signatures_collected_total", "multisig_signatures_rejected_total",
            "multisig_aggregations_completed_total", "multisig_verification_duration_seconds", "multisig_aggregation_duration_seconds",
            "fork_detector_forks_detected_total", "fork_detector_forks_resolved_total", "fork_detector_forks_failed_total",
            "fork_detector_active_forks", "fork_detector_resolution_duration_seconds",
        })
        {
            Assert.Contains($"| `{name}` | `cretoai_", seed, StringComparison.Ordinal);
        }

        Assert.All(documented, metric => Assert.Matches("^cretoai_[a-z0-9_]+$", metric.Name));
        Assert.All(documented, metric => Assert.Equal(metric.Type == "counter", metric.Name.EndsWith("_total", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Values_reflect_the_events()
    {
        var observer = new PrometheusReplicaObserver(includeProcessMetrics: false);
        ObserverScenario.FeedEveryEventOnce(observer);

        var e = await ScrapeAsync(observer);

        Assert.Equal(5, e.Value("cretoai_chain_height"));
        Assert.Equal(1, e.Value("cretoai_block_commit_latency_seconds_count"));
        Assert.Equal(0.02, e.Value("cretoai_block_commit_latency_seconds_sum"), 9);
        Assert.Equal(0, e.Value("cretoai_block_commit_latency_seconds_bucket", "le=\"0.01\""));
        Assert.Equal(1, e.Value("cretoai_block_commit_latency_seconds_bucket", "le=\"0.02\""));
        Assert.Equal(1, e.Value("cretoai_block_commit_latency_seconds_bucket", "le=\"+Inf\""));
        Assert.Equal(10, e.Value("cretoai_transactions_committed_total"));
        Assert.Equal(1, e.Value("cretoai_mempool_admissions_total", "status=\"Accepted\""));
        Assert.Equal(0, e.Value("cretoai_mempool_admissions_total", "status=\"Busy\""));
        Assert.Equal(7, e.Value("cretoai_mempool_transactions"));
        Assert.Equal(7000, e.Value("cretoai_mempool_bytes"));
        Assert.Equal(64, e.Value("cretoai_multisig_signatures_verified_total"));
        Assert.Equal(2, e.Value("cretoai_multisig_signatures_rejected_total"));
        Assert.Equal(1, e.Value("cretoai_multisig_verification_duration_seconds_count"));
        Assert.Equal(3, e.Value("cretoai_multisig_signatures_collected_total"));
        Assert.Equal(1, e.Value("cretoai_multisig_aggregations_completed_total"));
        Assert.Equal(1, e.Value("cretoai_multisig_aggregation_duration_seconds_count"));
        Assert.Equal(4_000_000, e.Value("cretoai_weighted_voting_total_stake"));
        Assert.Equal(4, e.Value("cretoai_weighted_voting_eligible_voters"));
        Assert.Equal(0.25, e.Value("cretoai_weighted_voting_avg_weight"));
        Assert.Equal(1, e.Value("cretoai_weighted_voting_calc_duration_seconds_count"));
        Assert.Equal(0.75, e.Value("cretoai_adaptive_quorum_threshold_ratio"), 9);
        Assert.Equal(1, e.Value("cretoai_adaptive_quorum_threat_level"));
        Assert.Equal(0.05, e.Value("cretoai_adaptive_quorum_detection_ratio"));
        Assert.Equal(0.95, e.Value("cretoai_adaptive_quorum_stability"));
        Assert.Equal(1, e.Value("cretoai_adaptive_quorum_level_changes_total", "to=\"Elevated\""));
        Assert.Equal(0, e.Value("cretoai_adaptive_quorum_level_changes_total", "to=\"High\""));
        Assert.Equal(1, e.Value("cretoai_fork_detector_forks_detected_total"));
        Assert.Equal(1, e.Value("cretoai_fork_detector_forks_resolved_total"));
        Assert.Equal(0, e.Value("cretoai_fork_detector_forks_failed_total"));
        Assert.Equal(0, e.Value("cretoai_fork_detector_active_forks"));
        Assert.Equal(1.5, e.Value("cretoai_fork_detector_resolution_duration_seconds_sum"));
        Assert.Equal(1, e.Value("cretoai_evidence_accepted_total"));
        Assert.Equal(1, e.Value("cretoai_consensus_round_timeouts_total"));
        Assert.Equal(3, e.Value("cretoai_validators_connected"));
        Assert.Equal(4096, e.Value("cretoai_wal_synced_bytes_total"));
        Assert.Equal(1, e.Value("cretoai_wal_sync_duration_seconds_count"));
        Assert.Equal(5, e.Value("cretoai_checkpoint_last_height"));
        Assert.Equal(0.2, e.Value("cretoai_checkpoint_duration_seconds_sum"));
        Assert.Equal(64, e.Value("cretoai_catchup_blocks_total"));
        Assert.Equal(1, e.Value("cretoai_catchup_batch_duration_seconds_count"));
    }

    [Fact]
    public async Task Labelled_series_exist_for_every_enum_value_from_the_first_scrape()
    {
        var e = await ScrapeAsync(new PrometheusReplicaObserver(includeProcessMetrics: false));

        foreach (var status in Enum.GetValues<SubmitStatus>())
        {
            Assert.Equal(0, e.Value("cretoai_mempool_admissions_total", $"status=\"{status}\""));
        }

        foreach (var level in Enum.GetValues<ThreatLevel>())
        {
            Assert.Equal(0, e.Value("cretoai_adaptive_quorum_level_changes_total", $"to=\"{level}\""));
        }

        var codes = Enum.GetValues<WireErrorCode>();
        Assert.Equal(codes.Length - 1, e.Count("cretoai_transport_errors_total"));
        foreach (var code in codes)
        {
            if (code != WireErrorCode.None)
            {
                Assert.Equal(0, e.Value("cretoai_transport_errors_total", $"code=\"{code}\""));
            }
        }
    }

    [Fact]
    public async Task Scrape_copies_the_transport_counters_and_the_status_snapshot()
    {
        var observer = new PrometheusReplicaObserver(includeProcessMetrics: false);
        var transport = new TransportCounters();
        transport.ConnectionAccepted();
        transport.ConnectionAccepted();
        transport.ConnectionClosed();
        transport.ConnectionRejected();
        transport.HandshakeFailed();
        transport.AddFrames(received: 10, sent: 4);
        transport.AddBytes(received: 1000, sent: 400);
        transport.Error(WireErrorCode.ChecksumMismatch);
        transport.Error(WireErrorCode.ChecksumMismatch);
        transport.Error(WireErrorCode.InternalError);
        var status = Status(height: 9, round: 12, epoch: 2, connected: 3, mempool: 11, mempoolBytes: 5500, catchingUp: true);
        observer.ReadSnapshotsFrom(() => status, () => transport);

        var e = await ScrapeAsync(observer);

        Assert.Equal(1, e.Value("cretoai_transport_connections_active"));
        Assert.Equal(2, e.Value("cretoai_transport_connections_accepted_total"));
        Assert.Equal(1, e.Value("cretoai_transport_connections_rejected_total"));
        Assert.Equal(1, e.Value("cretoai_transport_handshakes_failed_total"));
        Assert.Equal(10, e.Value("cretoai_transport_frames_received_total"));
        Assert.Equal(4, e.Value("cretoai_transport_frames_sent_total"));
        Assert.Equal(1000, e.Value("cretoai_transport_received_bytes_total"));
        Assert.Equal(400, e.Value("cretoai_transport_sent_bytes_total"));
        Assert.Equal(2, e.Value("cretoai_transport_errors_total", "code=\"ChecksumMismatch\""));
        Assert.Equal(1, e.Value("cretoai_transport_errors_total", "code=\"InternalError\""));
        Assert.Equal(0, e.Value("cretoai_transport_errors_total", "code=\"BadMagic\""));
        Assert.Equal(9, e.Value("cretoai_chain_height"));
        Assert.Equal(12, e.Value("cretoai_consensus_round"));
        Assert.Equal(2, e.Value("cretoai_consensus_epoch"));
        Assert.Equal(3, e.Value("cretoai_validators_connected"));
        Assert.Equal(11, e.Value("cretoai_mempool_transactions"));
        Assert.Equal(5500, e.Value("cretoai_mempool_bytes"));
        Assert.Equal(1, e.Value("cretoai_catching_up"));

        // The next scrape sees the counters' new values, and the end of catching up.
        transport.AddFrames(received: 5, sent: 0);
        status = status with { CatchingUp = false, Round = 13 };
        e = await ScrapeAsync(observer);
        Assert.Equal(15, e.Value("cretoai_transport_frames_received_total"));
        Assert.Equal(0, e.Value("cretoai_catching_up"));
        Assert.Equal(13, e.Value("cretoai_consensus_round"));
    }

    [Fact]
    public async Task Height_never_moves_back_when_a_snapshot_lags_an_event()
    {
        var observer = new PrometheusReplicaObserver(includeProcessMetrics: false);
        observer.ReadSnapshotsFrom(() => Status(height: 3), null);
        observer.BlockCommitted(4, 1, 0.01);

        Assert.Equal(4, (await ScrapeAsync(observer)).Value("cretoai_chain_height"));
    }

    [Fact]
    public async Task A_failing_snapshot_source_does_not_fail_the_scrape()
    {
        var observer = new PrometheusReplicaObserver(includeProcessMetrics: false);
        observer.ReadSnapshotsFrom(() => throw new InvalidOperationException("status unavailable"), () => throw new InvalidOperationException("no transport"));
        observer.BlockCommitted(2, 1, 0.01);

        Assert.Equal(2, (await ScrapeAsync(observer)).Value("cretoai_chain_height"));
    }

    [Fact]
    public async Task Odd_inputs_never_throw_and_never_move_a_counter_back()
    {
        var observer = new PrometheusReplicaObserver(includeProcessMetrics: false);
        observer.BlockCommitted(1, -3, double.NaN);
        observer.SignaturesVerified(-1, -1, double.PositiveInfinity);
        observer.WalSynced(-5, -0.1);
        observer.TransactionSubmitted((SubmitStatus)200);
        observer.ThreatLevelChanged(ThreatLevel.Normal, (ThreatLevel)9);
        observer.ForkResolved(resolved: false, 0.1);
        observer.BlockCommitted(ulong.MaxValue, 0, 0.001);

        var e = await ScrapeAsync(observer);
        Assert.Equal(0, e.Value("cretoai_transactions_committed_total"));
        Assert.Equal(1, e.Value("cretoai_block_commit_latency_seconds_count"));
        Assert.Equal(0, e.Value("cretoai_multisig_verification_duration_seconds_count"));
        Assert.Equal(1, e.Value("cretoai_wal_sync_duration_seconds_count"));
        Assert.Equal(0, e.Value("cretoai_wal_sync_duration_seconds_sum"));
        Assert.Equal(0, e.Value("cretoai_fork_detector_active_forks"));
        Assert.Equal(1, e.Value("cretoai_fork_detector_forks_failed_total"));
        Assert.Equal(long.MaxValue, e.Value("cretoai_chain_height"));
    }

    [Fact]
    public async Task Two_observers_in_one_process_do_not_share_series()
    {
        var first = new PrometheusReplicaObserver();
        var second = new PrometheusReplicaObserver();
        first.BlockCommitted(7, 1, 0.01);

        Assert.Equal(7, (await ScrapeAsync(first)).Value("cretoai_chain_height"));
        Assert.Equal(0, (await ScrapeAsync(second)).Value("cretoai_chain_height"));
    }

    [Fact]
    public async Task Process_metrics_are_exported_unless_turned_off()
    {
        Assert.Contains("process_cpu_seconds_total", (await ScrapeAsync(new PrometheusReplicaObserver())).Types.Keys);
        Assert.DoesNotContain("process_cpu_seconds_total", (await ScrapeAsync(new PrometheusReplicaObserver(includeProcessMetrics: false))).Types.Keys);
    }

    internal static NodeStatus Status(ulong height = 0, ulong round = 0, ulong epoch = 0, int connected = 0, int mempool = 0, long mempoolBytes = 0, bool catchingUp = false) =>
        new(default(Hash32), default(Hash32), height, default(Hash32), default(Hash32), round, epoch, connected, mempool, mempoolBytes, catchingUp);

    internal static async Task<Exposition> ScrapeAsync(PrometheusReplicaObserver observer)
    {
        using var stream = new MemoryStream();
        await observer.WriteTextAsync(stream, CancellationToken.None);
        return Exposition.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
