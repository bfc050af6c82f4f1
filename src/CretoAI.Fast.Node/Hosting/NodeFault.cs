using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Hosting;

/// <summary>
/// How a running validator says it cannot go on (storage failure, a broken invariant on the
/// consensus thread): the host logs the reason once, stops the node gracefully and exits with
/// <see cref="ValidatorExitCode.Failure"/>. Resolve it from the service provider in the node factory.
/// </summary>
public sealed class NodeFault
{
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private int _raised;

    public NodeFault(IHostApplicationLifetime lifetime, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _lifetime = lifetime;
        _logger = loggerFactory.CreateLogger(ValidatorHost.LogCategory);
    }

    /// <summary>True once <see cref="Raise"/> was called.</summary>
    public bool IsRaised => Volatile.Read(ref _raised) != 0;

    /// <summary>Logs the reason (the first call only), then asks the host to stop. Safe from any thread.</summary>
    public void Raise(string reason, Exception? exception = null)
    {
        if (Interlocked.Exchange(ref _raised, 1) != 0)
        {
            return;
        }

        _logger.LogCritical("fatal: {Reason}; stopping", reason);
        if (exception is not null)
        {
            _logger.LogDebug(exception, "fatal error detail");
        }

        _lifetime.StopApplication();
    }
}
