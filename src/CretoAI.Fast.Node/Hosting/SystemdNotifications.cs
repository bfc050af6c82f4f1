using CretoAI.Fast.Node.Replica;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Hosting;

/// <summary>
/// Tells the service manager where the validator is: READY=1 once every hosted service has started
/// (the node's StartAsync has completed, the metrics endpoint is bound), STOPPING=1 as soon as a stop
/// begins, and WATCHDOG=1 at half the watchdog interval while the node reports itself healthy. An
/// unhealthy node gets no pings, so systemd (WatchdogSec=) restarts a validator whose consensus thread
/// is stuck, instead of a ping thread keeping a dead node alive.
/// </summary>
internal sealed class SystemdNotifications : IHostedService, IDisposable
{
    private readonly SystemdNotifier _notifier;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ValidatorService _validator;
    private readonly Func<IValidatorNode, bool> _isHealthy;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private CancellationTokenRegistration _started;
    private CancellationTokenRegistration _stoppingRegistration;
    private Task? _watchdog;
    private int _failuresLogged;

    public SystemdNotifications(SystemdNotifier notifier, IHostApplicationLifetime lifetime, ValidatorService validator, Func<IValidatorNode, bool> isHealthy, ILogger logger)
    {
        _notifier = notifier;
        _lifetime = lifetime;
        _validator = validator;
        _isHealthy = isHealthy;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _started = _lifetime.ApplicationStarted.Register(static state => ((SystemdNotifications)state!).OnStarted(), this);
        _stoppingRegistration = _lifetime.ApplicationStopping.Register(static state => ((SystemdNotifications)state!).Send("STOPPING=1"), this);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_watchdog is not null)
        {
            await _watchdog.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose()
    {
        _started.Dispose();
        _stoppingRegistration.Dispose();
        _stopping.Dispose();
        _notifier.Dispose();
    }

    private void OnStarted()
    {
        Send("READY=1");
        if (_notifier.WatchdogInterval is { } interval)
        {
            _watchdog = PingWatchdogAsync(interval / 2, _stopping.Token);
        }
    }

    private async Task PingWatchdogAsync(TimeSpan period, CancellationToken stopping)
    {
        _logger.LogInformation("systemd watchdog: pinging every {Period} ms while the validator is healthy", (long)period.TotalMilliseconds);
        using var timer = new PeriodicTimer(period);
        var healthy = true;
        try
        {
            do
            {
                var now = IsHealthy();
                if (now)
                {
                    Send("WATCHDOG=1");
                }

                if (now != healthy)
                {
                    if (now)
                    {
                        _logger.LogInformation("systemd watchdog: the validator is healthy again; pinging");
                    }
                    else
                    {
                        _logger.LogWarning("systemd watchdog: the validator reports itself unhealthy; not pinging (the service manager restarts it when the watchdog expires)");
                    }

                    healthy = now;
                }
            }
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private bool IsHealthy()
    {
        if (_validator.Node is not { } node)
        {
            return false;
        }

        try
        {
            return _isHealthy(node);
        }
        catch (Exception ex)
        {
            _logger.LogWarning("systemd watchdog: the health check failed: {Reason}", ex.Message);
            return false;
        }
    }

    private void Send(string state)
    {
        var problem = _notifier.Notify(state);
        if (problem is null)
        {
            _logger.LogDebug("systemd: sent {State}", state);
        }
        else if (Interlocked.Increment(ref _failuresLogged) <= 3)
        {
            // The manager went away or never listened: say so, but never flood the log from the watchdog loop.
            _logger.LogWarning("systemd: {Problem}", problem);
        }
    }
}
