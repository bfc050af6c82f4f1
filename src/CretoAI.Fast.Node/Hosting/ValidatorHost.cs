using CretoAI.Fast.Core;
using CretoAI.Fast.Node.Chain;
using CretoAI.Fast.Node.Metrics;
using CretoAI.Fast.Node.Replica;
using CretoAI.Fast.Node.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CretoAI.Fast.Node.Hosting;

/// <summary>
/// Runs one validator as a daemon on the .NET Generic Host until SIGTERM, Ctrl-C or cancellation,
/// and returns the process exit code (<see cref="ValidatorExitCode"/>): the hosted validator and its
/// metrics endpoint, console or journald logging, sd_notify READY/STOPPING/WATCHDOG when a service
/// manager asks for them, and a graceful stop bounded by shutdown_timeout_seconds. The settings are
/// validated first (<see cref="NodeSettings.Validate"/>). Expected failures (bad configuration, a
/// taken port) are logged as one line, without a stack trace unless the log level is Debug or lower.
/// </summary>
public static class ValidatorHost
{
    /// <summary>Log category of the host's own messages.</summary>
    public const string LogCategory = "CretoAI.Fast.Node";

    /// <summary>Runs the validator the factory creates with default options.</summary>
    public static Task<int> RunAsync(NodeSettings settings, Func<IServiceProvider, IValidatorNode> nodeFactory, CancellationToken cancellationToken = default) =>
        RunAsync(new ValidatorHostOptions { Settings = settings, NodeFactory = nodeFactory }, cancellationToken);

    /// <summary>Runs the validator until a stop is requested; returns the exit code.</summary>
    public static async Task<int> RunAsync(ValidatorHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Settings is null || options.NodeFactory is null)
        {
            throw new ArgumentException("Settings and NodeFactory are required.", nameof(options));
        }

        var notifier = SystemdNotifier.FromEnvironment(out var notifierProblem);
        var host = Build(options, notifier);
        try
        {
            var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);
            if (notifierProblem is not null)
            {
                logger.LogWarning("systemd: {Problem}", notifierProblem);
            }

            try
            {
                options.Settings.Validate();
            }
            catch (InvalidSettingException ex)
            {
                logger.LogError("bad configuration: {Reason}", OneLine(ex));
                return ValidatorExitCode.BadConfiguration;
            }

            var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
            var validator = host.Services.GetRequiredService<ValidatorService>();
            var fault = host.Services.GetRequiredService<NodeFault>();
            try
            {
                await host.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                var stopRequested = cancellationToken.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested;
                int code;
                if (ex is OperationCanceledException && stopRequested)
                {
                    logger.LogInformation("stop requested during start-up");
                    code = ValidatorExitCode.Clean;
                }
                else if (IsConfigurationError(ex))
                {
                    logger.LogError("bad configuration: {Reason}", OneLine(ex));
                    code = ValidatorExitCode.BadConfiguration;
                }
                else
                {
                    logger.LogError("start-up failed: {Reason}", OneLine(ex));
                    code = ValidatorExitCode.Failure;
                }

                logger.LogDebug(ex, "start-up failure detail");
                await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
                return Math.Max(code, validator.StopExitCode);
            }

            await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return fault.IsRaised ? ValidatorExitCode.Failure : validator.StopExitCode;
        }
        finally
        {
            if (host is IAsyncDisposable asyncHost)
            {
                await asyncHost.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                host.Dispose();
            }
        }
    }

    // The operator must change a setting or a file it names: a retry without that fails the same way.
    private static bool IsConfigurationError(Exception ex) => ex is InvalidSettingException or GenesisException;

    private static IHost Build(ValidatorHostOptions options, SystemdNotifier? notifier)
    {
        // No default configuration sources (appsettings.json, file watchers): settings arrive bound and validated.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "cretoai-fast" });
        ConfigureLogging(builder.Logging, options);

        var services = builder.Services;

        // Options the host resolves at start-up are registered as ready values, not through
        // services.Configure<T>: that path makes the container close its open generic options types
        // (OptionsManager<T>, OptionsFactory<T>, arrays of IConfigureOptions<T>, ...) at run time,
        // which NativeAOT does by building each type in its type loader, about a tenth of the CPU
        // to READY (docs/benchmarks.md, "Daemon").
        services.AddSingleton(Options.Create(new HostOptions
        {
            ShutdownTimeout = TimeSpan.FromSeconds(Math.Clamp(options.Settings.ShutdownTimeoutSeconds, 1, NodeSettings.MaxShutdownTimeoutSeconds)),
            BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost,
        }));
        services.AddSingleton(Options.Create(new ConsoleLifetimeOptions { SuppressStatusMessages = true }));
        services.AddSingleton(options);
        services.AddSingleton(options.Settings);
        services.AddSingleton(_ => new PrometheusReplicaObserver());
        services.AddSingleton<IReplicaObserver>(sp => sp.GetRequiredService<PrometheusReplicaObserver>());
        services.AddSingleton<NodeFault>();
        services.AddSingleton<ValidatorService>();
        services.AddHostedService(sp => sp.GetRequiredService<ValidatorService>());
        if (notifier is not null)
        {
            if (!options.Settings.Watchdog)
            {
                notifier.DisableWatchdog();
            }

            var isHealthy = options.IsHealthy ?? DefaultIsHealthy;
            services.AddHostedService(sp => new SystemdNotifications(
                notifier,
                sp.GetRequiredService<IHostApplicationLifetime>(),
                sp.GetRequiredService<ValidatorService>(),
                isHealthy,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory)));
        }

        // The builder registers Microsoft.Extensions.Diagnostics metrics with a start-up validator
        // whose only job is to create their subscription manager. This daemon exports prometheus-net
        // metrics and validates its settings itself (NodeSettings.Validate), so the validator has
        // nothing to check; resolving it made NativeAOT's type loader build the options types behind
        // it at run time, most of the host's own start (docs/benchmarks.md, "Daemon"). Options that
        // ConfigureServices marks ValidateOnStart bring the validator back, and are validated.
        services.RemoveAll<IStartupValidator>();
        options.ConfigureServices?.Invoke(services);
        return builder.Build();
    }

    private static void ConfigureLogging(ILoggingBuilder logging, ValidatorHostOptions options)
    {
        logging.ClearProviders();

        // The logger factory's filter, as one fixed value (see the options above for why not Configure).
        var filter = new LoggerFilterOptions { MinLevel = options.MinimumLogLevel ?? options.Settings.LogLevel };
        if (filter.MinLevel > LogLevel.Debug)
        {
            // The host logs start and stop failures with their stack traces; ours say it in one line.
            filter.Rules.Add(new LoggerFilterRule(providerName: null, categoryName: "Microsoft.Extensions.Hosting", logLevel: LogLevel.None, filter: null));
        }

        logging.Services.AddSingleton<IOptionsMonitor<LoggerFilterOptions>>(new FixedOptionsMonitor<LoggerFilterOptions>(filter));
        logging.Services.AddSingleton(Options.Create(new LoggerFactoryOptions()));

        if (options.ConfigureLogging is { } configure)
        {
            configure(logging);
            return;
        }

        // journald stamps each line itself and reads the <N> priority prefix.
        logging.AddProvider(new LineConsoleLoggerProvider(systemd: !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM"))));
    }

    private static bool DefaultIsHealthy(IValidatorNode node)
    {
        _ = node.Status;
        return true;
    }

    private static string OneLine(Exception ex)
    {
        var message = ex.Message;
        return message.Contains('\n', StringComparison.Ordinal) ? message.ReplaceLineEndings(" ") : message;
    }
}
