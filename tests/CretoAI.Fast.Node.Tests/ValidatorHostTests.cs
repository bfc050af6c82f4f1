using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CretoAI.Fast.Core;
using CretoAI.Fast.Node.Chain;
using CretoAI.Fast.Node.HostChild;
using CretoAI.Fast.Node.Hosting;
using CretoAI.Fast.Node.Replica;
using CretoAI.Fast.Node.Settings;
using CretoAI.Fast.Node.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace CretoAI.Fast.Node.Tests;

/// <summary>
/// The host in this process with a fake validator. These tests set NOTIFY_SOCKET and WATCHDOG_* for
/// the whole process, so they run one at a time (their own collection, not parallel with each other).
/// </summary>
[Collection(nameof(ProcessEnvironmentCollection))]
public sealed class ValidatorHostTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ready_follows_the_node_start_and_stopping_follows_cancellation_then_exit_0(bool abstractSocket)
    {
        using var notify = new NotifySocket(abstractSocket);
        using var environment = new EnvironmentScope(("NOTIFY_SOCKET", notify.Name));
        var node = new FakeValidatorNode { StartDelay = TimeSpan.FromMilliseconds(300) };
        var logs = new LogCapture();
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();

        var run = ValidatorHost.RunAsync(Options(node, logs), stop.Token);
        await notify.ReceiveUntilAsync("READY=1", Wait);
        var readyAfter = clock.Elapsed;

        Assert.True(node.Started.IsCompletedSuccessfully, "READY=1 arrived before the node's StartAsync completed");
        output.WriteLine($"RunAsync call to READY=1: {readyAfter.TotalMilliseconds:F0} ms (node start delay {node.StartDelay.TotalMilliseconds} ms)");
        Assert.False(run.IsCompleted);

        await stop.CancelAsync();
        await notify.ReceiveUntilAsync("STOPPING=1", Wait);
        Assert.Equal(ValidatorExitCode.Clean, await run.WaitAsync(Wait));
        Assert.True(node.StopCalled.IsCompleted);
        Assert.True(node.Disposed);
        Assert.DoesNotContain(logs.Entries, entry => entry.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Without_notify_socket_the_host_runs_and_stops_cleanly()
    {
        using var environment = new EnvironmentScope(("NOTIFY_SOCKET", null));
        var node = new FakeValidatorNode();
        using var stop = new CancellationTokenSource();

        var run = ValidatorHost.RunAsync(Options(node, new LogCapture()), stop.Token);
        await node.Started.WaitAsync(Wait);
        await stop.CancelAsync();

        Assert.Equal(ValidatorExitCode.Clean, await run.WaitAsync(Wait));
        Assert.True(node.Disposed);
    }

    [Fact]
    public async Task Watchdog_pings_only_while_the_node_is_healthy()
    {
        using var notify = new NotifySocket();
        using var environment = new EnvironmentScope(("NOTIFY_SOCKET", notify.Name), ("WATCHDOG_USEC", "200000"), ("WATCHDOG_PID", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var healthy = false;
        var node = new FakeValidatorNode();
        using var stop = new CancellationTokenSource();
        var options = Options(node, new LogCapture(), isHealthy: _ => Volatile.Read(ref healthy));

        var run = ValidatorHost.RunAsync(options, stop.Token);
        await notify.ReceiveUntilAsync("READY=1", Wait);

        // Unhealthy: five ping periods (100 ms each) pass without a ping.
        Assert.Null(await notify.ReceiveAsync(TimeSpan.FromMilliseconds(500)));

        Volatile.Write(ref healthy, true);
        Assert.Equal("WATCHDOG=1", await notify.ReceiveAsync(Wait));
        Assert.Equal("WATCHDOG=1", await notify.ReceiveAsync(Wait));

        await stop.CancelAsync();
        var beforeStopping = await notify.ReceiveUntilAsync("STOPPING=1", Wait);
        Assert.All(beforeStopping, message => Assert.Equal("WATCHDOG=1", message));
        Assert.Equal(ValidatorExitCode.Clean, await run.WaitAsync(Wait));
    }

    [Fact]
    public async Task Watchdog_for_another_process_is_not_pinged()
    {
        using var notify = new NotifySocket();
        using var environment = new EnvironmentScope(("NOTIFY_SOCKET", notify.Name), ("WATCHDOG_USEC", "100000"), ("WATCHDOG_PID", "1"));
        var node = new FakeValidatorNode();
        using var stop = new CancellationTokenSource();

        var run = ValidatorHost.RunAsync(Options(node, new LogCapture()), stop.Token);
        await notify.ReceiveUntilAsync("READY=1", Wait);
        Assert.Null(await notify.ReceiveAsync(TimeSpan.FromMilliseconds(300)));

        await stop.CancelAsync();
        Assert.Equal(ValidatorExitCode.Clean, await run.WaitAsync(Wait));
    }

    [Fact]
    public async Task A_stop_that_overruns_the_timeout_exits_1_and_says_what_was_running()
    {
        using var environment = new EnvironmentScope(("NOTIFY_SOCKET", null));
        var node = new FakeValidatorNode { StopDelay = TimeSpan.FromMinutes(5), StopHonoursCancellation = false };
        var logs = new LogCapture();
        using var stop = new CancellationTokenSource();
        var options = Options(node, logs, shutdownTimeoutSeconds: 1);

        var run = ValidatorHost.RunAsync(options, stop.Token);
        await node.Started.WaitAsync(Wait);
        var clock = Stopwatch.StartNew();
        await stop.CancelAsync();

        Assert.Equal(ValidatorExitCode.Failure, await run.WaitAsync(Wait));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"stop took {clock.Elapsed}");
        var error = Assert.Single(logs.Entries, entry => entry.Level == LogLevel.Error);
        Assert.Contains("shutdown did not finish within shutdown_timeout_seconds=1", error.Message, StringComparison.Ordinal);
        Assert.Contains("still stopping (draining in-flight work and writing its checkpoint)", error.Message, StringComparison.Ordinal);
        Assert.False(node.Disposed);
    }

    [Fact]
    public async Task A_taken_metrics_port_fails_start_with_one_line_exit_1_and_no_node()
    {
        using var environment = new EnvironmentScope(("NOTIFY_SOCKET", null));
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        var created = false;
        var logs = new LogCapture();
        var options = Options(null, logs, metricsListen: $"127.0.0.1:{port}", factory: _ =>
        {
            created = true;
            return new FakeValidatorNode();
        });

        Assert.Equal(ValidatorExitCode.Failure, await ValidatorHost.RunAsync(options).WaitAsync(Wait));

        Assert.False(created);
        var error = Assert.Single(logs.Entries, entry => entry.Level >= LogLevel.Warning);
        Assert.Equal($"start-up failed: metrics_listen 127.0.0.1:{port}: address already in use", error.Message);
        Assert.Null(error.Exception);
        Assert.DoesNotContain(logs.Entries, entry => entry.Exception is not null);
    }

    [Fact]
    public async Task A_node_configuration_error_exits_2_with_one_line()
    {
        using var environment = new EnvironmentScope(("NOTIFY_SOCKET", null));
        var node = new FakeValidatorNode { StartFailure = new InvalidSettingException("identity_key_file", "'node.key' is not an ML-DSA-87 private key.") };
        var logs = new LogCapture();

        Assert.Equal(ValidatorExitCode.BadConfiguration, await ValidatorHost.RunAsync(Options(node, logs)).WaitAsync(Wait));

        var error = Assert.Single(logs.Entries, entry => entry.Level >= LogLevel.Warning);
        Assert.Equal("bad configuration: Setting 'identity_key_file': 'node.key' is not an ML-DSA-87 private key.", error.Message);
        Assert.DoesNotContain(logs.Entries, entry => entry.Exception is not null);
        Assert.True(node.Disposed, "a node whose start failed is still disposed");
    }

    [Fact]
    public async Task A_start_failure_logs_its_stack_trace_only_at_debug_level()
    {
        using var environment = new EnvironmentScope(("NOTIFY_SOCKET", null));
        var node = new FakeValidatorNode { StartFailure = new IOException("data_directory 'data': locked by another process") };
        var logs = new LogCapture();
        var options = Options(node, logs, minimumLevel: LogLevel.Debug);

        Assert.Equal(ValidatorExitCode.Failure, await ValidatorHost.RunAsync(options).WaitAsync(Wait));

        Assert.Contains(logs.Entries, entry => entry.Level == LogLevel.Error && entry.Message == "start-up failed: data_directory 'data': locked by another process");
        Assert.Contains(logs.Entries, entry => entry.Level == LogLevel.Debug && entry.Exception is IOException);
    }

    [Theory]
    [InlineData("9400", 15, "metrics_listen")]
    [InlineData("127.0.0.1:99999", 15, "metrics_listen")]
    [InlineData("127.0.0.1:7400", 15, "metrics_listen")]
    [InlineData("", 0, "shutdown_timeout_seconds")]
    [InlineData("", 100_000, "shutdown_timeout_seconds")]
    public async Task Bad_settings_exit_2_before_anything_starts(string metricsListen, int shutdownTimeoutSeconds, string setting)
    {
        using var environment = new EnvironmentScope(("NOTIFY_SOCKET", null));
        var created = false;
        var logs = new LogCapture();
        var options = Options(null, logs, metricsListen: metricsListen, shutdownTimeoutSeconds: shutdownTimeoutSeconds, factory: _ =>
        {
            created = true;
            return new FakeValidatorNode();
        });

        Assert.Equal(ValidatorExitCode.BadConfiguration, await ValidatorHost.RunAsync(options).WaitAsync(Wait));

        Assert.False(created);
        var error = Assert.Single(logs.Entries, entry => entry.Level >= LogLevel.Warning);
        Assert.StartsWith($"bad configuration: Setting '{setting}': ", error.Message, StringComparison.Ordinal);
        output.WriteLine(error.Message);
    }

    [Fact]
    public async Task The_host_registers_no_start_up_validator_of_its_own()
    {
        using var environment = new EnvironmentScope(("NOTIFY_SOCKET", null));
        var node = new FakeValidatorNode();
        bool? hadValidator = null;
        using var stop = new CancellationTokenSource();
        var options = WithServices(Options(node, new LogCapture()), services => hadValidator = services.Any(descriptor => descriptor.ServiceType == typeof(IStartupValidator)));

        var run = ValidatorHost.RunAsync(options, stop.Token);
        await node.Started.WaitAsync(Wait);
        await stop.CancelAsync();

        Assert.Equal(ValidatorExitCode.Clean, await run.WaitAsync(Wait));
        Assert.False(hadValidator);
    }

    [Fact]
    public async Task Options_that_configure_services_validate_on_start_are_still_validated()
    {
        using var environment = new EnvironmentScope(("NOTIFY_SOCKET", null));
        var created = false;
        var logs = new LogCapture();
        var options = Options(null, logs, factory: _ =>
        {
            created = true;
            return new FakeValidatorNode();
        });
        options = WithServices(options, services => services.AddOptions<ProbeOptions>().Validate(probe => probe.Valid, "the probe options are invalid").ValidateOnStart());

        Assert.Equal(ValidatorExitCode.Failure, await ValidatorHost.RunAsync(options).WaitAsync(Wait));

        Assert.False(created);
        Assert.Contains(logs.Entries, entry => entry.Level == LogLevel.Error && entry.Message.Contains("the probe options are invalid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_genesis_error_exits_2()
    {
        using var environment = new EnvironmentScope(("NOTIFY_SOCKET", null));
        var logs = new LogCapture();
        var options = Options(null, logs, factory: _ => throw new GenesisException("genesis.json", "validators[1].stake", "below the minimum stake 100000"));

        Assert.Equal(ValidatorExitCode.BadConfiguration, await ValidatorHost.RunAsync(options).WaitAsync(Wait));

        var error = Assert.Single(logs.Entries, entry => entry.Level >= LogLevel.Warning);
        Assert.StartsWith("bad configuration: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_watchdog_setting_off_means_no_pings_even_when_asked()
    {
        using var notify = new NotifySocket();
        using var environment = new EnvironmentScope(("NOTIFY_SOCKET", notify.Name), ("WATCHDOG_USEC", "100000"));
        var node = new FakeValidatorNode();
        using var stop = new CancellationTokenSource();
        var options = Options(node, new LogCapture());
        options.Settings.Watchdog = false;

        var run = ValidatorHost.RunAsync(options, stop.Token);
        await notify.ReceiveUntilAsync("READY=1", Wait);
        Assert.Null(await notify.ReceiveAsync(TimeSpan.FromMilliseconds(300)));

        await stop.CancelAsync();
        Assert.Equal(ValidatorExitCode.Clean, await run.WaitAsync(Wait));
    }

    [Fact]
    public async Task The_log_level_setting_applies_when_the_options_leave_it_open()
    {
        using var environment = new EnvironmentScope(("NOTIFY_SOCKET", null));
        var node = new FakeValidatorNode();
        var logs = new LogCapture();
        using var stop = new CancellationTokenSource();
        var options = Options(node, logs, minimumLevel: null);
        options.Settings.LogLevel = LogLevel.Warning;

        var run = ValidatorHost.RunAsync(options, stop.Token);
        await node.Started.WaitAsync(Wait);
        await stop.CancelAsync();

        Assert.Equal(ValidatorExitCode.Clean, await run.WaitAsync(Wait));
        Assert.DoesNotContain(logs.Entries, entry => entry.Level < LogLevel.Warning);
    }

    [Fact]
    public async Task A_fault_raised_by_the_node_stops_the_host_with_exit_1()
    {
        using var environment = new EnvironmentScope(("NOTIFY_SOCKET", null));
        NodeFault? fault = null;
        var node = new FakeValidatorNode();
        var logs = new LogCapture();
        var options = Options(null, logs, factory: services =>
        {
            fault = services.GetRequiredService<NodeFault>();
            return node;
        });

        var run = ValidatorHost.RunAsync(options);
        await node.Started.WaitAsync(Wait);
        fault!.Raise("WAL append failed: No space left on device");

        Assert.Equal(ValidatorExitCode.Failure, await run.WaitAsync(Wait));
        Assert.True(node.StopCalled.IsCompleted);
        Assert.Contains(logs.Entries, entry => entry.Level == LogLevel.Critical && entry.Message == "fatal: WAL append failed: No space left on device; stopping");
    }

    [Fact]
    public async Task The_running_host_serves_metrics_from_the_node_and_its_events()
    {
        using var environment = new EnvironmentScope(("NOTIFY_SOCKET", null));
        var port = FreePort();
        var node = new FakeValidatorNode { Status = PrometheusReplicaObserverTests.Status(height: 42, round: 50, epoch: 3, connected: 3) };
        using var stop = new CancellationTokenSource();
        var options = Options(null, new LogCapture(), metricsListen: $"127.0.0.1:{port}", factory: services =>
        {
            services.GetRequiredService<IReplicaObserver>().EvidenceAccepted();
            return node;
        });

        var run = ValidatorHost.RunAsync(options, stop.Token);
        await node.Started.WaitAsync(Wait);
        using var client = new HttpClient();
        var exposition = Exposition.Parse(await client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics")));

        Assert.Equal(42, exposition.Value("cretoai_chain_height"));
        Assert.Equal(50, exposition.Value("cretoai_consensus_round"));
        Assert.Equal(3, exposition.Value("cretoai_consensus_epoch"));
        Assert.Equal(1, exposition.Value("cretoai_evidence_accepted_total"));

        await stop.CancelAsync();
        Assert.Equal(ValidatorExitCode.Clean, await run.WaitAsync(Wait));
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(async () => await probe.ConnectAsync(IPAddress.Loopback, port));
    }

    private static ValidatorHostOptions WithServices(ValidatorHostOptions options, Action<IServiceCollection> configure) => new()
    {
        Settings = options.Settings,
        NodeFactory = options.NodeFactory,
        IsHealthy = options.IsHealthy,
        MinimumLogLevel = options.MinimumLogLevel,
        ConfigureLogging = options.ConfigureLogging,
        ConfigureServices = configure,
    };

    private static ValidatorHostOptions Options(
        FakeValidatorNode? node,
        LogCapture logs,
        string metricsListen = "",
        int shutdownTimeoutSeconds = 15,
        Func<IValidatorNode, bool>? isHealthy = null,
        Func<IServiceProvider, IValidatorNode>? factory = null,
        LogLevel? minimumLevel = LogLevel.Information)
    {
        var settings = new NodeSettings { MetricsListen = metricsListen, ShutdownTimeoutSeconds = shutdownTimeoutSeconds };
        return new ValidatorHostOptions
        {
            Settings = settings,
            NodeFactory = factory ?? (_ => node!),
            IsHealthy = isHealthy,
            MinimumLogLevel = minimumLevel,
            ConfigureLogging = logging => logging.AddProvider(logs),
        };
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

[CollectionDefinition(nameof(ProcessEnvironmentCollection), DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection;

/// <summary>Options a test marks ValidateOnStart.</summary>
public sealed class ProbeOptions
{
    public bool Valid { get; set; }
}
