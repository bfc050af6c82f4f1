namespace CretoAI.Fast.Node.Tests.Infrastructure;

/// <summary>Waits for a condition by polling until a deadline: tests never sleep a fixed time.</summary>
internal static class Eventually
{
    /// <summary>Generous enough for a slow, shared 2-core machine.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task AssertAsync(Func<bool> condition, string what)
    {
        var end = Environment.TickCount64 + (long)Deadline.TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > end)
            {
                Assert.Fail($"Condition not met within {Deadline.TotalSeconds} s: {what}");
            }

            await Task.Delay(10);
        }
    }
}
