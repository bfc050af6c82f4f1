using System.Diagnostics;
using CretoAI.Fast.LoadGen.Engine;
using CretoAI.Fast.LoadGen.Modes;
using Xunit;

namespace CretoAI.Fast.LoadGen.Tests;

/// <summary>
/// The step clock starts only when every worker runs, and a step that measured nothing is an error,
/// not an empty result.
/// </summary>
public sealed class StepStartTests
{
    [Fact]
    public async Task The_window_is_fixed_only_when_the_last_worker_is_ready()
    {
        var windows = 0;
        var start = new StepStart(2, () =>
        {
            windows++;
            return StepWindow.StartingNow(TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.Zero, rate: null, depth: 1);
        });

        var first = start.ReadyAsync();
        Assert.False(first.IsCompleted);
        Assert.False(start.Started.IsCompleted);
        Assert.Equal(0, windows);

        // However late the second worker runs, the window starts after it arrived.
        var secondArrives = Stopwatch.GetTimestamp();
        var second = start.ReadyAsync();

        Assert.True(first.IsCompletedSuccessfully);
        Assert.Equal(1, windows);
        var window = await second;
        Assert.Same(window, await first);
        Assert.Same(window, await start.Started);
        Assert.True(window.Start >= secondArrives, "the clock started after the last worker was ready");
    }

    [Fact]
    public async Task A_released_worker_resumes_on_the_thread_of_the_last_worker()
    {
        var start = new StepStart(2, () => StepWindow.StartingNow(TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.Zero, rate: null, depth: 1));
        var resumedOn = -1;
        var waiter = Resume(start.ReadyAsync(), () => resumedOn = Environment.CurrentManagedThreadId);

        // On a pool thread, as workers run (a test's synchronization context would forbid inlining).
        var last = await Task.Run(() =>
        {
            _ = start.ReadyAsync();
            return Environment.CurrentManagedThreadId;
        });

        // No second wait for the thread pool once the clock runs: it resumed inside ReadyAsync.
        Assert.Equal(last, resumedOn);
        await waiter;
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1.0)]
    public async Task A_step_that_measured_nothing_is_an_error_that_says_so(double? rate)
    {
        var plan = LoadGenCommand.BuildPlan("ping", "127.0.0.1:1", connections: 2, depth: 1, payload: 16, duration: 0.01, warmup: 0, rate is null ? null : "1", chainId: null, connectTimeout: 1, drain: 1);
        await using var mode = new IdleMode(plan.Connections);

        var error = await Assert.ThrowsAsync<LoadGenException>(() => LoadRunner.RunAsync(plan, mode, _ => { }, CancellationToken.None));

        Assert.Contains("step 1 measured nothing", error.Message, StringComparison.Ordinal);
        Assert.Equal(plan.Connections, mode.Ready);
    }

    private static async Task Resume(Task<StepWindow> wait, Action then)
    {
        await wait.ConfigureAwait(false);
        then();
    }

    /// <summary>Workers that start the clock as required and then put nothing on the wire.</summary>
    private sealed class IdleMode : ILoadMode
    {
        private int _ready;

        public IdleMode(int workers) => Workers = workers;

        public string Name => "idle";

        public int Workers { get; }

        public int ItemsPerRequest => 1;

        public string Target => "nowhere";

        public int Ready => _ready;

        public Task OpenAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RunStepAsync(StepStart start, IReadOnlyList<WorkerStats> stats, CancellationToken cancellationToken) =>
            Task.WhenAll(Enumerable.Range(0, Workers).Select(async _ =>
            {
                Interlocked.Increment(ref _ready);
                await start.ReadyAsync().ConfigureAwait(false);
            }));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
