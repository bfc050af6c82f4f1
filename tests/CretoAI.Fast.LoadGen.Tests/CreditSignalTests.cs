using CretoAI.Fast.LoadGen.Engine;
using Xunit;

namespace CretoAI.Fast.LoadGen.Tests;

public sealed class CreditSignalTests
{
    [Fact]
    public void A_wait_that_is_no_longer_blocked_completes_at_once()
    {
        var signal = new CreditSignal();

        Assert.True(signal.WaitAsync(() => false).IsCompleted);
    }

    [Fact]
    public async Task A_blocked_wait_completes_when_the_receiver_sets_and_runs_on_its_thread()
    {
        var signal = new CreditSignal();
        var blocked = true;
        var wait = signal.WaitAsync(() => blocked);
        Assert.False(wait.IsCompleted);

        var resumedOn = -1;
        var waiter = Resume(wait, () => resumedOn = Environment.CurrentManagedThreadId);
        blocked = false;
        var setter = Environment.CurrentManagedThreadId;
        signal.Set();

        // Checked before any await of ours: the continuation already ran, inside Set, on this thread.
        Assert.Equal(setter, resumedOn);
        await waiter;

        // Reusable: a second wait, a second set.
        blocked = true;
        var again = signal.WaitAsync(() => blocked);
        Assert.False(again.IsCompleted);
        signal.Set();
        await again;
    }

    [Fact]
    public void Set_without_a_waiter_does_nothing()
    {
        var signal = new CreditSignal();
        signal.Set();

        Assert.False(signal.WaitAsync(() => true).IsCompleted);
    }

    private static async Task Resume(ValueTask wait, Action then)
    {
        await wait.ConfigureAwait(false);
        then();
    }
}
