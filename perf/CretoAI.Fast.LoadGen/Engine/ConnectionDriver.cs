using System.Diagnostics;
using System.IO.Pipelines;

namespace CretoAI.Fast.LoadGen.Engine;

/// <summary>
/// Drives one connection for one step, for any in-order request/reply protocol. Closed loop: keeps
/// <see cref="StepWindow.Depth"/> requests in flight, sending the next as each reply arrives.
/// Open loop: a sender follows the worker's <see cref="OpenLoopSchedule"/> (never waiting for a
/// reply unless Depth requests are already outstanding) while a receiver matches replies; latency is
/// taken from the intended send time. Per request nothing is allocated: requests are encoded into the
/// pipe, replies parsed in place, timestamps kept in rings indexed by sequence modulo depth.
/// </summary>
internal sealed class ConnectionDriver<TProtocol> : IAsyncDisposable
    where TProtocol : struct, IRequestProtocol
{
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly IAsyncDisposable _connection;
    private readonly TProtocol _protocol;
    private readonly double _nanosPerTick = 1e9 / Stopwatch.Frequency;
    private long[] _intendedAt = [];
    private long[] _sentAt = [];
    private uint _nextSequence = 1;
    private uint _expected = 1;
    private int _outstanding;
    private volatile bool _senderDone;
    private bool _lost;
    private volatile bool _stopSending;
    private CreditSignal? _credits;
    private Func<bool>? _blocked;

    public ConnectionDriver(PipeReader input, PipeWriter output, IAsyncDisposable connection, TProtocol protocol)
    {
        _input = input;
        _output = output;
        _connection = connection;
        _protocol = protocol;
    }

    /// <summary>Set once the target closed the connection or left requests unanswered past the drain time; later steps skip it.</summary>
    public bool IsBroken { get; private set; }

    public async Task RunStepAsync(StepStart start, int worker, int workers, TimeSpan primeTimeout, WorkerStats stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);

        // One unmeasured round trip before this worker lets the clock start, so first-use costs
        // (JIT of both ends' paths, a cold thread pool) are paid before the window, not in it.
        Exception? primeError = null;
        if (!IsBroken)
        {
            try
            {
                await PrimeAsync(primeTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Rethrown below, once this worker has reported ready.
                primeError = ex;
            }
        }

        // Whatever priming did, every worker counts towards starting the clock, or the others wait forever.
        var window = await start.ReadyAsync().ConfigureAwait(false);
        if (primeError is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // No reply within the drain time: the connection is not trusted for this or later steps.
            IsBroken = true;
        }
        else if (primeError is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(primeError);
        }

        if (IsBroken)
        {
            return;
        }

        var schedule = window.Rate is { } rate ? OpenLoopSchedule.ForWorker(window.Start, rate, worker, workers) : default;

        if (_intendedAt.Length != window.Depth)
        {
            _intendedAt = new long[window.Depth];
            _sentAt = new long[window.Depth];
        }

        _outstanding = 0;
        _senderDone = false;
        _lost = false;
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (!window.IsOpenLoop)
        {
            await ReceiveAsync(window, stats, credits: null, abort).ConfigureAwait(false);
            EndStep(window, stats);
            return;
        }

        var credits = _credits ??= new CreditSignal();
        _stopSending = false;
        var receiving = ReceiveAsync(window, stats, credits, abort);
        try
        {
            await SendOnScheduleAsync(window, schedule, stats, credits, abort.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The receiver ended the step (connection lost or protocol error); it reports why.
        }
        finally
        {
            _senderDone = true;
            _input.CancelPendingRead();
        }

        await receiving.ConfigureAwait(false);
        EndStep(window, stats);
    }

    /// <summary>After both loops have stopped: requests left unanswered by a lost connection failed.</summary>
    private void EndStep(StepWindow window, WorkerStats stats)
    {
        if (_lost)
        {
            FailOutstanding(window, stats);
            IsBroken = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        IsBroken = true;
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>One request, then its reply, outside any step's counts; a closed connection marks the driver broken.</summary>
    private async Task PrimeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        _protocol.WriteRequest(_output, _nextSequence++);
        await _output.FlushAsync(deadline.Token).ConfigureAwait(false);
        while (true)
        {
            var result = await _input.ReadAsync(deadline.Token).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (_protocol.TryReadReply(ref buffer, _expected) != ReplyStatus.NeedMoreData)
            {
                // Succeeded or an error reply: either way the whole path has run once.
                _expected++;
                _input.AdvanceTo(buffer.Start);
                return;
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                _expected = _nextSequence;
                IsBroken = true;
                return;
            }
        }
    }

    private async Task SendOnScheduleAsync(StepWindow window, OpenLoopSchedule schedule, WorkerStats stats, CreditSignal credits, CancellationToken cancellationToken)
    {
        const int FlushThreshold = 32 * 1024;
        var depth = _intendedAt.Length;
        var blocked = _blocked ??= () => Volatile.Read(ref _outstanding) >= _intendedAt.Length && !_stopSending;
        for (long i = 0; ; i++)
        {
            var intended = schedule.IntendedAt(i);
            if (intended >= window.StopAt)
            {
                break;
            }

            var now = Stopwatch.GetTimestamp();
            if (intended > now)
            {
                // Ahead of schedule: put out what is written, then sleep until the next request is
                // due. The OS timer (~1 ms) releases requests in small bursts; the lateness this
                // adds is measured (intended → actual send) and shows in the corrected latency.
                if (_output.UnflushedBytes > 0)
                {
                    await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                var millis = (int)Math.Ceiling((intended - now) * 1000.0 / Stopwatch.Frequency);
                await Task.Delay(Math.Max(1, millis), cancellationToken).ConfigureAwait(false);
            }

            while (Volatile.Read(ref _outstanding) >= depth)
            {
                // Depth requests outstanding: wait for a reply. Later requests keep their intended
                // times, so this wait is charged to them (coordinated-omission correction).
                if (_output.UnflushedBytes > 0)
                {
                    await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                await credits.WaitAsync(blocked).ConfigureAwait(false);
                if (_stopSending)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return;
                }
            }

            var slot = _nextSequence % (uint)_intendedAt.Length;
            _intendedAt[slot] = intended;
            _sentAt[slot] = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _outstanding);
            _protocol.WriteRequest(_output, _nextSequence++);
            if (window.IsMeasured(intended))
            {
                stats.CountSent();
            }

            if (_output.UnflushedBytes >= FlushThreshold)
            {
                await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (_output.UnflushedBytes > 0)
        {
            await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void SendNow(StepWindow window, WorkerStats stats, long now)
    {
        var slot = _nextSequence % (uint)_intendedAt.Length;
        _intendedAt[slot] = now;
        _sentAt[slot] = now;
        _outstanding++;
        _protocol.WriteRequest(_output, _nextSequence++);
        if (window.IsMeasured(now))
        {
            stats.CountSent();
        }
    }

    private async Task ReceiveAsync(StepWindow window, WorkerStats stats, CreditSignal? credits, CancellationTokenSource abort)
    {
        var openLoop = credits is not null;
        var depth = (uint)_intendedAt.Length;
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(abort.Token);
        var untilDeadline = (double)(window.StopAt - Stopwatch.GetTimestamp()) / Stopwatch.Frequency;
        drain.CancelAfter(TimeSpan.FromSeconds(Math.Max(0, untilDeadline)) + window.Drain);
        try
        {
            var sending = true;
            if (!openLoop)
            {
                var now = Stopwatch.GetTimestamp();
                for (var i = 0; i < depth; i++)
                {
                    SendNow(window, stats, now);
                }

                await _output.FlushAsync(drain.Token).ConfigureAwait(false);
            }

            while (true)
            {
                if ((openLoop ? Volatile.Read(ref _outstanding) : _outstanding) == 0 && (openLoop ? _senderDone : !sending))
                {
                    return;
                }

                ReadResult result;
                try
                {
                    result = await _input.ReadAsync(drain.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (drain.IsCancellationRequested && !abort.IsCancellationRequested)
                {
                    // Replies still missing after the drain time: they failed, and the connection
                    // can no longer be trusted to answer in order.
                    _lost = true;
                    return;
                }

                // Read after the wake-up: in open loop the sender adds requests while we wait.
                var outstanding = openLoop ? Volatile.Read(ref _outstanding) : _outstanding;
                var buffer = result.Buffer;
                var received = Stopwatch.GetTimestamp();
                var replies = 0;
                var wrote = false;
                while (replies < outstanding)
                {
                    var status = _protocol.TryReadReply(ref buffer, _expected);
                    if (status == ReplyStatus.NeedMoreData)
                    {
                        break;
                    }

                    var slot = _expected % depth;
                    var intended = _intendedAt[slot];
                    if (window.IsMeasured(intended))
                    {
                        if (status == ReplyStatus.Succeeded)
                        {
                            stats.CountSucceeded();
                            stats.Corrected.RecordValue(LatencyHistograms.Clamp((long)((received - intended) * _nanosPerTick)));
                            if (openLoop)
                            {
                                stats.Service.RecordValue(LatencyHistograms.Clamp((long)((received - _sentAt[slot]) * _nanosPerTick)));
                            }
                        }
                        else
                        {
                            stats.CountFailed();
                        }
                    }

                    _expected++;
                    replies++;
                    if (!openLoop && sending)
                    {
                        if (received < window.StopAt)
                        {
                            SendNow(window, stats, received);
                            wrote = true;
                        }
                        else
                        {
                            sending = false;
                        }
                    }
                }

                _input.AdvanceTo(buffer.Start, buffer.End);
                if (openLoop)
                {
                    if (replies > 0)
                    {
                        Interlocked.Add(ref _outstanding, -replies);
                        credits!.Set();
                    }
                }
                else
                {
                    _outstanding -= replies;
                    if (wrote)
                    {
                        await _output.FlushAsync(drain.Token).ConfigureAwait(false);
                    }
                }

                if (result.IsCompleted)
                {
                    _lost = true;
                    return;
                }
            }
        }
        catch (Exception)
        {
            // A protocol error: stop the sender too, then report.
            await abort.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            // Whatever ended the receiver, a sender waiting for a slot must not wait forever.
            _stopSending = true;
            credits?.Set();
            if (_lost)
            {
                // Wakes a sender sleeping on the schedule.
                await abort.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    private void FailOutstanding(StepWindow window, WorkerStats stats)
    {
        var depth = (uint)_intendedAt.Length;
        long failed = 0;
        for (var sequence = _expected; sequence != _nextSequence; sequence++)
        {
            if (window.IsMeasured(_intendedAt[sequence % depth]))
            {
                failed++;
            }
        }

        stats.CountFailed(failed);
        _expected = _nextSequence;
    }
}
