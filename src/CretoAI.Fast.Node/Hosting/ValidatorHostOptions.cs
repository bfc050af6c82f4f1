using CretoAI.Fast.Core;
using CretoAI.Fast.Net;
using CretoAI.Fast.Node.Replica;
using CretoAI.Fast.Node.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Hosting;

/// <summary>What <see cref="ValidatorHost.RunAsync(ValidatorHostOptions, CancellationToken)"/> runs and how.</summary>
public sealed class ValidatorHostOptions
{
    /// <summary>The operator settings; the host validates them and uses metrics_listen, shutdown_timeout_seconds, log_level and watchdog.</summary>
    public required NodeSettings Settings { get; init; }

    /// <summary>
    /// Creates the validator, once, when the host starts. The service provider has the
    /// <see cref="NodeSettings"/>, the <see cref="IReplicaObserver"/> (Prometheus) to report events to,
    /// <see cref="ILoggerFactory"/>, <see cref="NodeFault"/> to report a fatal error, and whatever
    /// <see cref="ConfigureServices"/> added. Throw <see cref="InvalidSettingException"/> for a bad
    /// key, or let <see cref="InvalidSettingException"/> and <see cref="Chain.GenesisException"/> out:
    /// the host exits with <see cref="ValidatorExitCode.BadConfiguration"/>.
    /// </summary>
    public required Func<IServiceProvider, IValidatorNode> NodeFactory { get; init; }

    /// <summary>The node's transport counters, read at each scrape; null when it has none to show.</summary>
    public Func<IValidatorNode, TransportCounters?>? TransportCounters { get; init; }

    /// <summary>
    /// Whether the node is making progress (its consensus thread advanced recently or is waiting
    /// for work), asked before each systemd watchdog ping; an unhealthy node gets no ping. The
    /// default counts a node healthy while its <see cref="IValidatorNode.Status"/> can be read.
    /// </summary>
    public Func<IValidatorNode, bool>? IsHealthy { get; init; }

    /// <summary>
    /// Least severe level logged; null takes the log_level setting. At Debug and below, failures are
    /// also logged with their stack traces.
    /// </summary>
    public LogLevel? MinimumLogLevel { get; init; }

    /// <summary>
    /// Replaces the default log output (one line per event on the console with a UTC timestamp, or
    /// journald's format with priorities when stdout is the journal). Add providers here; the
    /// level filter is <see cref="MinimumLogLevel"/> (filters added to the builder are not used).
    /// </summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>
    /// Adds services the node factory needs. The host has no start-up validator of its own; options
    /// added here with ValidateOnStart bring one back and are validated before the node is created.
    /// </summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}
