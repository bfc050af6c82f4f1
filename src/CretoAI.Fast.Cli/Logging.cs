using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Cli;

/// <summary>Console logging for the commands: one line per event, UTC timestamps, level filter.</summary>
internal static class Logging
{
    public static ILoggerFactory Create(LogLevel level) => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(level)
        .AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        }));
}
