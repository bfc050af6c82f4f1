namespace CretoAI.Fast.Net.Tests.Infrastructure;

/// <summary>Waits for a condition by polling it until a deadline: tests never sleep a fixed time.</summary>
internal static class Eventually
{
    /// <summary>A deadline generous enough for a slow, shared 2-core machine.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>Returns true as soon as <paramref name="condition"/> holds, false if it still does not hold at <paramref name="deadline"/>.</summary>
    public static bool True(Func<bool> condition, TimeSpan deadline)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var end = Environment.TickCount64 + (long)deadline.TotalMilliseconds;
        while (true)
        {
            if (condition())
            {
                return true;
            }

            if (Environment.TickCount64 > end)
            {
                return condition();
            }

            Thread.Sleep(10);
        }
    }

    /// <summary>As <see cref="True(Func{bool}, TimeSpan)"/> with <see cref="Deadline"/>, failing the test with <paramref name="what"/> if the condition never holds.</summary>
    public static void Assert(Func<bool> condition, string what)
    {
        if (!True(condition, Deadline))
        {
            Xunit.Assert.Fail($"Condition not met within {Deadline.TotalSeconds} s: {what}");
        }
    }
}
