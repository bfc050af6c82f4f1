namespace CretoAI.Fast.Net.Tests.Infrastructure;

/// <summary>
/// Waits for a condition by polling it until a deadline: tests never sleep a fixed time. The async
/// forms are the ones tests use, so a waiting test does not hold a thread-pool thread that the
/// sockets and pipes under test need (a 2-core machine starts with only two).
/// </summary>
internal static class Eventually
{
    /// <summary>A deadline generous enough for a slow, shared 2-core machine.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Returns true as soon as <paramref name="condition"/> holds, false if it still does not hold at <paramref name="deadline"/>.</summary>
    public static bool True(Func<bool> condition, TimeSpan deadline)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var end = Environment.TickCount64 + (long)deadline.TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > end)
            {
                return condition();
            }

            Thread.Sleep(PollInterval);
        }

        return true;
    }

    /// <summary>As <see cref="True"/>, without blocking a thread while waiting.</summary>
    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan deadline)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var end = Environment.TickCount64 + (long)deadline.TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > end)
            {
                return condition();
            }

            await Task.Delay(PollInterval);
        }

        return true;
    }

    /// <summary>Waits up to <see cref="Deadline"/> for <paramref name="condition"/>, failing the test with <paramref name="what"/> if it never holds.</summary>
    public static async Task AssertAsync(Func<bool> condition, string what)
    {
        if (!await TrueAsync(condition, Deadline))
        {
            Xunit.Assert.Fail($"Condition not met within {Deadline.TotalSeconds} s: {what}");
        }
    }
}
