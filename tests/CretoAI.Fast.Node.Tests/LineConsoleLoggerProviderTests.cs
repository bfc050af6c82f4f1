using CretoAI.Fast.Node.Hosting;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Tests;

public sealed class LineConsoleLoggerProviderTests
{
    private static readonly DateTime At = new(2026, 12, 5, 3, 56, 25, 313, DateTimeKind.Utc);

    [Fact]
    public void Console_layout_is_the_simple_single_line_one_with_utc_timestamps()
    {
        using var provider = new LineConsoleLoggerProvider(systemd: false, TextWriter.Null, TextWriter.Null);

        var line = provider.Format(At, LogLevel.Information, "cretoai.net", new EventId(7), "Listening on 127.0.0.1:23200", exception: null);

        Assert.Equal("2026-12-05T03:56:25.313Z info: cretoai.net[7] Listening on 127.0.0.1:23200\n", line);
    }

    [Theory]
    [InlineData(LogLevel.Trace, "trce", 7)]
    [InlineData(LogLevel.Debug, "dbug", 7)]
    [InlineData(LogLevel.Information, "info", 6)]
    [InlineData(LogLevel.Warning, "warn", 4)]
    [InlineData(LogLevel.Error, "fail", 3)]
    [InlineData(LogLevel.Critical, "crit", 2)]
    public void Each_level_has_its_console_name_and_syslog_priority(LogLevel level, string name, int priority)
    {
        using var console = new LineConsoleLoggerProvider(systemd: false, TextWriter.Null, TextWriter.Null);
        using var journal = new LineConsoleLoggerProvider(systemd: true, TextWriter.Null, TextWriter.Null);

        Assert.Equal($"2026-12-05T03:56:25.313Z {name}: c[0] m\n", console.Format(At, level, "c", default, "m", null));
        Assert.Equal($"<{priority}>c[0] m\n", journal.Format(At, level, "c", default, "m", null));
    }

    [Fact]
    public void Message_and_exception_stay_on_one_line()
    {
        using var provider = new LineConsoleLoggerProvider(systemd: true, TextWriter.Null, TextWriter.Null);
        var exception = new InvalidOperationException("first\nsecond");

        var line = provider.Format(At, LogLevel.Error, "c", new EventId(3), "a\r\nb", exception);

        Assert.StartsWith("<3>c[3] a  b System.InvalidOperationException: first second", line, StringComparison.Ordinal);
        Assert.Equal(1, line.Count(c => c == '\n'));
        Assert.EndsWith("\n", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_and_worse_go_to_standard_error_the_rest_to_standard_output()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using (var provider = new LineConsoleLoggerProvider(systemd: true, output, error))
        {
            var logger = provider.CreateLogger("cat");
            logger.LogDebug("d");
            logger.LogInformation("i {Value}", 42);
            logger.LogWarning("w");
            logger.LogError("e");
            logger.LogCritical("c");
            logger.Log(LogLevel.None, "never");
        }

        Assert.Equal("<7>cat[0] d\n<6>cat[0] i 42\n", output.ToString());
        Assert.Equal("<4>cat[0] w\n<3>cat[0] e\n<2>cat[0] c\n", error.ToString());
    }

    [Fact]
    public void Scopes_are_accepted_and_not_written()
    {
        using var output = new StringWriter();
        using (var provider = new LineConsoleLoggerProvider(systemd: true, output, TextWriter.Null))
        {
            var logger = provider.CreateLogger("cat");
            using (logger.BeginScope("scope {Id}", 1))
            {
                logger.LogInformation("inside");
            }
        }

        Assert.Equal("<6>cat[0] inside\n", output.ToString());
    }

    [Fact]
    public void The_factory_level_filter_applies()
    {
        using var output = new StringWriter();
        using (var factory = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None)
            .AddProvider(new LineConsoleLoggerProvider(systemd: true, output, output))))
        {
            factory.CreateLogger("cat").LogDebug("hidden");
            factory.CreateLogger("Microsoft.Extensions.Hosting.Internal.Host").LogError("hidden too");
            factory.CreateLogger("cat").LogInformation("shown");
        }

        Assert.Equal("<6>cat[0] shown\n", output.ToString());
    }

    [Fact]
    public void A_broken_output_loses_the_line_and_does_not_throw_to_the_caller()
    {
        var closed = new StringWriter();
        closed.Dispose();
        using var provider = new LineConsoleLoggerProvider(systemd: true, new BrokenWriter(), closed);
        var logger = provider.CreateLogger("cat");

        var thrown = Record.Exception(() =>
        {
            logger.LogInformation("to a broken pipe");
            logger.LogError("to a closed writer");
        });

        Assert.Null(thrown);
    }

    private sealed class BrokenWriter : StringWriter
    {
        public override void Write(string? value) => throw new IOException("Broken pipe");
    }
}
