using System.Diagnostics;
using System.Runtime.InteropServices;
using CretoAI.Fast.Node.Metrics;
using CretoAI.Fast.Node.Replica;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Hosting;

/// <summary>
/// The hosted service that owns the validator and its metrics endpoint: binds the endpoint (so a
/// taken port fails the start before any state is opened), creates and starts the node, and on stop
/// asks the node to drain and checkpoint within the host's shutdown timeout, saying what was still
/// running if it overran.
/// </summary>
internal sealed class ValidatorService : IHostedService
{
    private readonly ValidatorHostOptions _options;
    private readonly IServiceProvider _services;
    private readonly PrometheusReplicaObserver _metrics;
    private readonly ILogger _logger;
    private MetricsEndpoint? _endpoint;
    private volatile IValidatorNode? _node;
    private volatile bool _started;
    private int _stopped;

    public ValidatorService(ValidatorHostOptions options, IServiceProvider services, PrometheusReplicaObserver metrics, ILoggerFactory loggerFactory)
    {
        _options = options;
        _services = services;
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger(ValidatorHost.LogCategory);
    }

    /// <summary>The node, once created.</summary>
    public IValidatorNode? Node => _node;

    /// <summary>The metrics endpoint, once bound (null when metrics_listen is empty).</summary>
    public MetricsEndpoint? Endpoint => _endpoint;

    /// <summary>Clean, or Failure when stopping failed or overran the shutdown timeout.</summary>
    public int StopExitCode { get; private set; } = ValidatorExitCode.Clean;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = _options.Settings;
        if (settings.GetMetricsEndPoint() is { } metricsEndPoint)
        {
            var endpoint = new MetricsEndpoint(_metrics, metricsEndPoint, _logger);
            endpoint.Start();
            _endpoint = endpoint;
            _logger.LogInformation("metrics: serving http://{Address}/metrics", FormatAddress(endpoint));
        }

        var node = _options.NodeFactory(_services);
        _node = node;
        var transport = _options.TransportCounters;
        _metrics.ReadSnapshotsFrom(() => node.Status, transport is null ? null : () => transport(node));
        if (node is ValidatorNode validator)
        {
            _metrics.ReadRouterFrom(() => validator.AgentRouter?.Router);
        }

        var clock = Stopwatch.StartNew();
        await node.StartAsync(cancellationToken).ConfigureAwait(false);
        _started = true;
        var status = node.Status;
        _logger.LogInformation(
            "validator {Node} started in {StartMs} ms ({SinceProcessStartMs} ms after process start, {CpuMs} ms of CPU, {PageFaults} page faults, {Collections} GCs pausing {GcPauseMs} ms): height {Height}, round {Round}, epoch {Epoch}",
            status.NodeId.ToShortString(), clock.ElapsedMilliseconds, MillisecondsSinceProcessStart(), ProcessCpuMilliseconds(), MinorPageFaults(), GC.CollectionCount(0), (long)GC.GetTotalPauseDuration().TotalMilliseconds, status.Height, status.Round, status.Epoch);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            if (_node is { } node)
            {
                await StopNodeAsync(node, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (_endpoint is { } endpoint)
            {
                await endpoint.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task StopNodeAsync(IValidatorNode node, CancellationToken cancellationToken)
    {
        var timeout = _options.Settings.ShutdownTimeoutSeconds;
        if (_started)
        {
            _logger.LogInformation("stopping: draining in-flight work and writing a checkpoint (allowed {Timeout} s)", timeout);
        }

        var clock = Stopwatch.StartNew();
        var phase = "stopping (draining in-flight work and writing its checkpoint)";
        try
        {
            await InvokeAsync(static (n, ct) => n.StopAsync(ct), node, cancellationToken).ConfigureAwait(false);
            phase = "closing (disposing after its stop)";
            await InvokeAsync(static (n, _) => n.DisposeAsync().AsTask(), node, cancellationToken).ConfigureAwait(false);
            if (_started)
            {
                _logger.LogInformation("stopped cleanly in {ElapsedMs} ms", clock.ElapsedMilliseconds);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            StopExitCode = ValidatorExitCode.Failure;
            _logger.LogError(
                "shutdown did not finish within shutdown_timeout_seconds={Timeout}: the validator was still {Phase} at height {Height}; exiting with code {Code}",
                timeout, phase, HeightOrUnknown(node), ValidatorExitCode.Failure);
        }
        catch (Exception ex) when (_started)
        {
            StopExitCode = ValidatorExitCode.Failure;
            _logger.LogError("stopping the validator failed while {Phase}: {Reason}", phase, ex.Message);
            _logger.LogDebug(ex, "stop failure detail");
        }
        catch (Exception ex)
        {
            // Clean-up after a failed start: the start failure is what gets reported.
            _logger.LogDebug(ex, "clean-up after a failed start failed");
        }
    }

    // The node may ignore the token; the host must still get control back at the deadline.
    private static async Task InvokeAsync(Func<IValidatorNode, CancellationToken, Task> action, IValidatorNode node, CancellationToken cancellationToken)
    {
        Task task;
        try
        {
            task = action(node, cancellationToken);
        }
        catch (Exception ex)
        {
            task = Task.FromException(ex);
        }

        await task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string HeightOrUnknown(IValidatorNode node)
    {
        try
        {
            return node.Status.Height.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception)
        {
            return "unknown";
        }
    }

    private static string FormatAddress(MetricsEndpoint endpoint) => (endpoint.LocalEndPoint ?? endpoint.EndPoint).ToString();

    // CPU time of every thread so far: unlike the wall-clock figure it barely moves when other
    // processes compete for the cores, so start-up work can be compared on a loaded machine.
    private static long ProcessCpuMilliseconds() => (long)Environment.CpuUsage.TotalTime.TotalMilliseconds;

    /// <summary>Minor page faults of the process so far (Linux; -1 elsewhere): fresh memory touched, a steadier figure than time on a busy machine.</summary>
    private static long MinorPageFaults()
    {
        try
        {
            // /proc/self/stat: "pid (comm) state ppid ..."; minflt is the 10th field, the 8th after the ')'.
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return -1;
        }
    }

    /// <summary>
    /// Name of a variable the published executable's start-up shim sets, before the runtime starts,
    /// to the Unix time in nanoseconds (src/CretoAI.Fast.Cli/Native/startup_shim.c).
    /// </summary>
    internal const string ProcessStartedSymbol = "cretoai_fast_process_started_unix_ns";

    // From the shim's clock reading when the executable has one (within the dynamic loader's ~1-2 ms
    // of exec); otherwise from /proc, whose start time counts in 10 ms clock ticks and reads up to a
    // tick high and more (docs/benchmarks.md, "Daemon", fourth pass).
    private static long MillisecondsSinceProcessStart()
    {
        try
        {
            if (NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), ProcessStartedSymbol, out var address)
                && Marshal.ReadInt64(address) is > 0 and var startedNs)
            {
                var nowNs = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
                return (nowNs - startedNs) / 1_000_000;
            }

            using var process = Process.GetCurrentProcess();
            return (long)(DateTime.Now - process.StartTime).TotalMilliseconds;
        }
        catch (Exception)
        {
            return -1;
        }
    }
}
