using CretoAI.Fast.Core;
using CretoAI.Fast.Node.Replica;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Node.HostChild;

/// <summary>
/// A validator that does nothing but take the time it is told to start and stop, and report the
/// status it is given. Shared by the host child process and the in-process host tests.
/// </summary>
public sealed class FakeValidatorNode : IValidatorNode
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopCalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile NodeStatus _status = new(default, default, 0, default, default, 0, 0, 0, 0, 0, CatchingUp: false);

    public TimeSpan StartDelay { get; init; }

    public TimeSpan StopDelay { get; init; }

    /// <summary>Thrown by StartAsync after the delay, when set.</summary>
    public Exception? StartFailure { get; init; }

    /// <summary>Honour the token in StopAsync (false: ignore it, like a node stuck in a checkpoint).</summary>
    public bool StopHonoursCancellation { get; init; } = true;

    /// <summary>Called at the end of a successful StartAsync.</summary>
    public Action? OnStarted { get; init; }

    public Task Started => _started.Task;

    public Task StopCalled => _stopCalled.Task;

    public bool Disposed { get; private set; }

    public long StartCompletedTimestamp { get; private set; }

    public NodeStatus Status
    {
        get => _status;
        set => _status = value;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(StartDelay, cancellationToken).ConfigureAwait(false);
        if (StartFailure is not null)
        {
            throw StartFailure;
        }

        OnStarted?.Invoke();
        StartCompletedTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        _started.TrySetResult();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopCalled.TrySetResult();
        await Task.Delay(StopDelay, StopHonoursCancellation ? cancellationToken : CancellationToken.None).ConfigureAwait(false);
    }

    public ValueTask<SubmitStatus> SubmitAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SubmitStatus.Unavailable);

    public bool TryGetCommittedBlock(ulong height, out CommittedBlockSummary block)
    {
        block = default;
        return false;
    }

    public ValueTask<ulong> WaitForCommitAsync(Hash32 transactionId, CancellationToken cancellationToken) =>
        ValueTask.FromCanceled<ulong>(cancellationToken.IsCancellationRequested ? cancellationToken : new CancellationToken(canceled: true));

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
