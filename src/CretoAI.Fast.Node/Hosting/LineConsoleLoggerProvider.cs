using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Hosting;

/// <summary>
/// The daemon's console logger: one line per event, in the same layout as
/// Microsoft.Extensions.Logging.Console's simple single-line formatter with UTC timestamps
/// (<c>2026-12-05T03:56:25.313Z info: Category[0] message</c>), or, under systemd (journald stamps
/// lines itself), its systemd layout (<c>&lt;6&gt;Category[0] message</c>). Warnings and worse go
/// to standard error, the rest to standard output.
/// </summary>
/// <remarks>
/// Microsoft.Extensions.Logging.Console builds its options, three formatters and their option
/// monitors through the DI container; under NativeAOT each of those open generic services is
/// instantiated by the runtime type loader at start-up, which was a visible part of the time to
/// READY. This provider needs no options types. Lines are written synchronously under a lock: the
/// node logs events (start, stop, links up and down, recovery), not per-message traffic.
/// </remarks>
public sealed class LineConsoleLoggerProvider : ILoggerProvider
{
    private readonly Lock _writeLock = new();
    private readonly bool _systemd;
    private readonly TextWriter _out;
    private readonly TextWriter _error;

    /// <summary>Writes to the process's standard output and error; <paramref name="systemd"/> picks the journald layout.</summary>
    public LineConsoleLoggerProvider(bool systemd)
        : this(systemd, Console.Out, Console.Error)
    {
    }

    /// <summary>Writes to the given writers (tests).</summary>
    public LineConsoleLoggerProvider(bool systemd, TextWriter output, TextWriter error)
    {
        _systemd = systemd;
        _out = output ?? throw new ArgumentNullException(nameof(output));
        _error = error ?? throw new ArgumentNullException(nameof(error));
    }

    public ILogger CreateLogger(string categoryName) => new LineLogger(this, categoryName);

    public void Dispose()
    {
        lock (_writeLock)
        {
            try
            {
                _out.Flush();
                _error.Flush();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // Nothing more can be written there anyway.
            }
        }
    }

    /// <summary>Formats one event as its line (with the trailing newline).</summary>
    internal string Format(DateTime utcNow, LogLevel level, string category, EventId eventId, string message, Exception? exception)
    {
        var line = new StringBuilder(category.Length + message.Length + 48);
        if (_systemd)
        {
            line.Append('<').Append(SyslogSeverity(level)).Append('>');
        }
        else
        {
            line.Append(utcNow.ToString("yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture)).Append("Z ");
            line.Append(ShortName(level)).Append(": ");
        }

        line.Append(category).Append('[').Append(eventId.Id.ToString(CultureInfo.InvariantCulture)).Append("] ");
        AppendOneLine(line, message);
        if (exception is not null)
        {
            line.Append(' ');
            AppendOneLine(line, exception.ToString());
        }

        return line.Append('\n').ToString();
    }

    private void Write(LogLevel level, string text)
    {
        var writer = level >= LogLevel.Warning ? _error : _out;
        lock (_writeLock)
        {
            try
            {
                writer.Write(text);
                writer.Flush();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // A closed or broken output must not fail the code that logged: the line is lost.
            }
        }
    }

    private static void AppendOneLine(StringBuilder line, string text)
    {
        foreach (var c in text)
        {
            line.Append(c is '\r' or '\n' ? ' ' : c);
        }
    }

    private static string ShortName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    private static int SyslogSeverity(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => 7,
        LogLevel.Information => 6,
        LogLevel.Warning => 4,
        LogLevel.Error => 3,
        _ => 2,
    };

    private sealed class LineLogger(LineConsoleLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            if (string.IsNullOrEmpty(message) && exception is null)
            {
                return;
            }

            provider.Write(logLevel, provider.Format(DateTime.UtcNow, logLevel, category, eventId, message, exception));
        }
    }
}
