using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// A logger usable before the real one exists: entries are formatted and held, in order, until
/// <see cref="Attach"/>, which writes them to the real logger; from then on it forwards directly.
/// Thread-safe. Scopes are not kept (storage does not use them).
/// </summary>
internal sealed class HeldLogger : ILogger
{
    private readonly Lock _lock = new();
    private List<(LogLevel Level, EventId Event, Exception? Error, string Message)>? _held = [];
    private ILogger? _target;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => Volatile.Read(ref _target) is { } target ? target.IsEnabled(logLevel) : logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (_lock)
        {
            if (_held is not null)
            {
                _held.Add((logLevel, eventId, exception, formatter(state, exception)));
                return;
            }
        }

        _target!.Log(logLevel, eventId, state, exception, formatter);
    }

    /// <summary>Writes what was held to <paramref name="target"/> and forwards everything after it.</summary>
    public void Attach(ILogger target)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_lock)
        {
            if (_held is null)
            {
                return;
            }

            foreach (var (level, eventId, error, message) in _held)
            {
#pragma warning disable CA2254, CA1848 // The text was formatted by the original call site; it is written as is.
                target.Log(level, eventId, error, "{Message}", message);
#pragma warning restore CA2254, CA1848
            }

            _target = target;
            _held = null;
        }
    }
}
