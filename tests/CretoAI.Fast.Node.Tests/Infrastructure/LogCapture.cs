using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Tests.Infrastructure;

/// <summary>Keeps every log entry, for tests that assert what an operator would read.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly List<(LogLevel Level, string Category, string Message, Exception? Exception)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Category, string Message, Exception? Exception)> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public string Dump()
    {
        var lines = new List<string>();
        foreach (var entry in Entries)
        {
            lines.Add($"{entry.Level} {entry.Category}: {entry.Message}{(entry.Exception is null ? "" : " [exception " + entry.Exception.GetType().Name + "]")}");
        }

        return string.Join('\n', lines);
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._gate)
            {
                owner._entries.Add((logLevel, category, formatter(state, exception), exception));
            }
        }
    }
}
