using System.Net;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Net.Load;

/// <summary>A closed-loop Ping load: each connection keeps <see cref="Depth"/> requests outstanding.</summary>
public sealed record PingLoadOptions(EndPoint Target, int Connections, int Depth, int PayloadBytes, TimeSpan Duration, TimeSpan Warmup)
{
    /// <summary>Throws <see cref="InvalidSettingException"/> for a setting outside its range.</summary>
    public void Validate()
    {
        Require(Target is not null, "target", "must be set");
        Require(Connections is >= 1 and <= 10_000, "connections", $"must be 1..10000 (got {Connections})");
        Require(Depth is >= 1 and <= 4096, "depth", $"must be 1..4096 (got {Depth})");
        Require(PayloadBytes is >= 0 and <= 1024 * 1024, "payload", $"must be 0..1048576 bytes (got {PayloadBytes})");
        Require(Duration > TimeSpan.Zero, "duration", $"must be positive (got {Duration})");
        Require(Warmup >= TimeSpan.Zero, "warmup", $"must not be negative (got {Warmup})");
    }

    private static void Require(bool condition, string setting, string message)
    {
        if (!condition)
        {
            throw new InvalidSettingException(setting, message);
        }
    }
}
