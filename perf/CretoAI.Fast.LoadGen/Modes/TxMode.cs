using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.LoadGen.Engine;
using CretoAI.Fast.Net;
using CretoAI.Fast.Net.Client;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.LoadGen.Modes;

/// <summary>
/// <c>tx</c>: signed transactions submitted to a validator cluster, latency measured to commit.
/// Worker w submits over its own <see cref="NodeClient"/> to target w mod T; one more client follows
/// the first target's commit subscription (<see cref="CommitWatcher"/>), and each committed entry is
/// matched by transaction id, in whatever order, to the pre-signed transaction it finishes. Latency
/// runs from the intended send time (open loop: the schedule) to the commit notice. A submission the
/// node refuses (busy, bad signature, ...) fails with that reason; one not committed within
/// <c>--drain</c> after the window fails as a timeout. Each step's transactions are signed before the
/// step (<see cref="TransactionSet"/>), so the window only submits ready envelopes.
/// </summary>
internal sealed class TxMode : ILoadMode
{
    // The commit watcher must keep up with every block: allow a long backlog before its client gives up.
    private const int WatcherBuffer = 65_536;

    // More pre-signed transactions than this per step would take minutes to sign and gigabytes to hold.
    private const long MaxTransactionsPerStep = 2_000_000;

    private static readonly TimeSpan MinProbeTimeout = TimeSpan.FromSeconds(30);

    private readonly LoadPlan _plan;
    private readonly IReadOnlyList<EndPoint> _targets;
    private readonly MLDsa87Signer _identity = MLDsa87Signer.Generate();
    private readonly List<NodeClient> _clients = [];
    private NodeClient? _watcherClient;
    private CommitWatcher? _watcher;
    private TxStep? _step;
    private Hash32 _chainId;
    private int _stepIndex;

    public TxMode(LoadPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _plan = plan;
        _targets = plan.AllTargets;
    }

    public string Name => "tx";

    public int Workers => _plan.Connections;

    public int ItemsPerRequest => 1;

    public string Target => string.Join(',', _targets.Select(t => t.ToString()));

    /// <summary>The step running or last run (tests read what became of its transactions).</summary>
    internal TxStep? LastStep => Volatile.Read(ref _step);

    private TimeSpan ProbeTimeout => _plan.Drain > MinProbeTimeout ? _plan.Drain : MinProbeTimeout;

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        var watcherClient = await ConnectAsync(_targets[0], _plan.ChainId, WatcherBuffer, cancellationToken).ConfigureAwait(false);
        _watcherClient = watcherClient;
        _chainId = watcherClient.ChainId;
        var status = await StatusAsync(watcherClient, cancellationToken).ConfigureAwait(false);

        // Every worker's node must serve the same chain: the learned (or given) id is required of all.
        for (var i = 0; i < _plan.Connections; i++)
        {
            var client = await ConnectAsync(_targets[i % _targets.Count], _chainId, 1, cancellationToken).ConfigureAwait(false);
            _clients.Add(client);
            if (i > 0 && i < _targets.Count)
            {
                _ = await StatusAsync(client, cancellationToken).ConfigureAwait(false);
            }
        }

        _watcher = new CommitWatcher(watcherClient, OnCommitted);
        _watcher.Start(status.Height + 1);
    }

    public async Task RunStepAsync(StepStart start, IReadOnlyList<WorkerStats> stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(stats);
        var rate = _plan.IsOpenLoop ? _plan.Rates[_stepIndex] : (double?)null;
        var step = ++_stepIndex;
        var perWorker = rate is { } r
            ? (long)Math.Ceiling(r / Workers * (_plan.Warmup + _plan.Duration).TotalSeconds) + 1
            : (long)Math.Ceiling((double)_plan.Transactions / Workers);
        if (perWorker * Workers > MaxTransactionsPerStep)
        {
            throw new LoadGenException($"step {step} would need {perWorker * Workers:N0} pre-signed transactions (rate × (warm-up + duration)); at most {MaxTransactionsPerStep:N0} are signed per step: lower --rate, --duration or --warmup");
        }

        // Sign before the step's clock can start (the workers report ready only after their probe).
        var transactions = await Task.Run(() => TransactionSet.Sign(Workers, (int)perWorker, _chainId, _plan.PayloadBytes, cancellationToken), cancellationToken).ConfigureAwait(false);
        var txStep = new TxStep(transactions, stats, _plan.Depth, rate is not null);
        Volatile.Write(ref _step, txStep);

        var running = new Task[Workers];
        for (var i = 0; i < Workers; i++)
        {
            var worker = i;

            // No cancellation token on Task.Run: a worker that never ran would never report ready.
            running[i] = Task.Run(() => RunWorkerAsync(txStep, worker, start, cancellationToken), CancellationToken.None);
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        if (txStep.Exhausted)
        {
            throw new LoadGenException($"step {step}: the closed loop sent all {transactions.PerWorker * Workers:N0} pre-signed transactions before its window closed, so its figures would cover less than the window: raise --transactions (or lower --duration, --depth)");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_watcher is not null)
        {
            await _watcher.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var client in _clients)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }

        _clients.Clear();
        if (_watcherClient is not null)
        {
            await _watcherClient.DisposeAsync().ConfigureAwait(false);
        }

        _identity.Dispose();
    }

    private void OnCommitted(TransactionResultEntry entry, long receivedAt)
    {
        if (Volatile.Read(ref _step) is { } step && step.Transactions.TryGet(entry.Id, out var transaction))
        {
            step.OnCommitted(transaction!, entry.Verdict, receivedAt);
        }
    }

    private async Task RunWorkerAsync(TxStep step, int worker, StepStart start, CancellationToken cancellationToken)
    {
        var client = _clients[worker];

        // One unmeasured transaction through the whole path (admission, a block, the notice) before
        // this worker lets the clock start: it proves the target is a working validator cluster and
        // pays first-use costs before the window.
        Exception? probeError = null;
        try
        {
            await ProbeAsync(step, client, step.Transactions.Probe(worker), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Rethrown below, once this worker has reported ready.
            probeError = ex;
        }

        var window = await start.ReadyAsync().ConfigureAwait(false);
        if (probeError is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(probeError);
        }

        var transactions = step.Transactions.ForWorker(worker);
        var schedule = window.Rate is { } rate ? OpenLoopSchedule.ForWorker(window.Start, rate, worker, Workers) : default;
        var sent = 0;
        var deadline = window.StopAt + (long)(window.Drain.TotalSeconds * Stopwatch.Frequency);
        for (var i = 0; ; i++)
        {
            long intended = 0;
            if (window.IsOpenLoop)
            {
                intended = schedule.IntendedAt(i);
                if (intended >= window.StopAt)
                {
                    break;
                }

                var ahead = intended - Stopwatch.GetTimestamp();
                if (ahead > 0)
                {
                    await Task.Delay(Math.Max(1, (int)Math.Ceiling(ahead * 1000.0 / Stopwatch.Frequency)), cancellationToken).ConfigureAwait(false);
                }
            }

            if (i >= transactions.Length)
            {
                // Open loop signs one more than its schedule can use; only the closed loop gets here.
                if (Stopwatch.GetTimestamp() < window.StopAt)
                {
                    step.Exhausted = true;
                }

                break;
            }

            // At most Depth uncommitted per connection. Open loop: a wait here is charged to this
            // and the following transactions, whose intended times do not move. It ends with the
            // drain: transactions of the window still unsent then fail without being sent.
            if (!await step.WaitForSlotAsync(worker, deadline, cancellationToken).ConfigureAwait(false))
            {
                if (window.IsOpenLoop)
                {
                    step.FailUnsent(worker, window, schedule, i);
                }

                break;
            }

            var now = Stopwatch.GetTimestamp();
            if (!window.IsOpenLoop)
            {
                if (now >= window.StopAt)
                {
                    step.ReturnSlot(worker);
                    break;
                }

                intended = now;
            }

            var transaction = transactions[i];
            transaction.MarkSent(intended, now, window.IsMeasured(intended));
            step.OnSent(transaction);
            sent++;
            Submit(step, client, transaction);
        }

        // Drain: wait for the commits of what was sent, then count the rest as timed out.
        while (step.Outstanding(worker) > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        for (var i = 0; i < sent; i++)
        {
            step.OnFailed(transactions[i], "timeout: not committed within --drain");
        }
    }

    private static void Submit(TxStep step, NodeClient client, PendingTransaction transaction)
    {
        var submission = client.SubmitAsync(transaction.Envelope);
        if (submission.IsCompletedSuccessfully)
        {
            OnAdmission(step, transaction, submission.Result);
        }
        else
        {
            _ = AwaitAdmissionAsync(step, transaction, submission);
        }
    }

    private static async Task AwaitAdmissionAsync(TxStep step, PendingTransaction transaction, Task<SubmitResultMessage> submission)
    {
        try
        {
            OnAdmission(step, transaction, await submission.ConfigureAwait(false));
        }
        catch (WireException ex)
        {
            step.OnFailed(transaction, $"submit error: {WireErrorCodes.Describe(ex.Code)}");
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            step.OnFailed(transaction, "connection lost");
        }
    }

    private static void OnAdmission(TxStep step, PendingTransaction transaction, SubmitResultMessage result)
    {
        if (!SubmitStatuses.IsAdmitted(result.Status))
        {
            step.OnFailed(transaction, $"refused: {SubmitStatuses.Name(result.Status)}");
        }
    }

    private async Task ProbeAsync(TxStep step, NodeClient client, PendingTransaction probe, CancellationToken cancellationToken)
    {
        var now = Stopwatch.GetTimestamp();
        probe.MarkSent(now, now, measured: false);
        SubmitResultMessage admission;
        try
        {
            admission = await client.SubmitAsync(probe.Envelope, cancellationToken).ConfigureAwait(false);
        }
        catch (WireException ex)
        {
            throw new LoadGenException($"{client.EndPoint} does not accept transactions: it answered a submission with {WireErrorCodes.Describe(ex.Code)}; is it a validator (cretoai-fast node run)?", ex);
        }
        catch (IOException ex)
        {
            throw new LoadGenException($"{client.EndPoint} closed the connection when a transaction was submitted: {ex.Message}", ex);
        }

        if (!SubmitStatuses.IsAdmitted(admission.Status))
        {
            step.OnFailed(probe, admission.Status.ToString());
            var detail = admission.Detail.Length == 0 ? string.Empty : $" ({admission.Detail})";
            throw new LoadGenException($"{client.EndPoint} refused a transaction: {SubmitStatuses.Name(admission.Status)}{detail}");
        }

        string? outcome;
        try
        {
            outcome = await probe.Probe!.Task.WaitAsync(ProbeTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            var why = _watcher?.Failure is { } failure ? $"; {failure}" : string.Empty;
            throw new LoadGenException($"{client.EndPoint} admitted a transaction but no commit listed it within {ProbeTimeout.TotalSeconds:0.#} s (commits seen up to height {_watcher?.Height}){why}; are enough validators of the cluster running for a quorum? (raise --drain if it is only slow)", ex);
        }

        if (outcome is not null)
        {
            throw new LoadGenException($"{client.EndPoint}: a load transaction was {outcome}; the chain does not apply payload transactions from new keys");
        }
    }

    private async Task<NodeClient> ConnectAsync(EndPoint target, Hash32 chainId, int subscriptionBuffer, CancellationToken cancellationToken)
    {
        var options = new NodeClientOptions { ChainId = chainId, ConnectTimeout = _plan.ConnectTimeout, SubscriptionBuffer = subscriptionBuffer };
        try
        {
            return await NodeClient.ConnectAsync(target, _identity, options, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new LoadGenException($"cannot connect to {target}: {ex.Message} ({ex.SocketErrorCode})", ex);
        }
        catch (TimeoutException ex)
        {
            throw new LoadGenException($"{target} did not complete a CretoAI handshake within {_plan.ConnectTimeout.TotalSeconds:0.#} s; is it a cretoai-fast node?", ex);
        }
        catch (WireException ex) when (ex.Code == WireErrorCode.ChainIdMismatch)
        {
            throw new LoadGenException($"{target} serves another chain than {(_plan.ChainId.IsZero ? "the first target" : $"the one given ({chainId.ToShortString()})")}: {WireErrorCodes.Describe(ex.Code)}", ex);
        }
        catch (WireException ex)
        {
            throw new LoadGenException($"{target} is not a cretoai-fast node accepting us: handshake failed: {WireErrorCodes.Describe(ex.Code)}", ex);
        }
        catch (IOException ex)
        {
            throw new LoadGenException($"{target} is not a cretoai-fast node accepting us: {ex.Message}", ex);
        }
    }

    private static async Task<StatusMessage> StatusAsync(NodeClient client, CancellationToken cancellationToken)
    {
        try
        {
            return await client.StatusAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (WireException ex)
        {
            throw new LoadGenException($"{client.EndPoint} completed the handshake but does not serve the client protocol (status request: {WireErrorCodes.Describe(ex.Code)}); is it a validator (cretoai-fast node run)?", ex);
        }
        catch (IOException ex)
        {
            throw new LoadGenException($"{client.EndPoint} closed the connection at the first client request: {ex.Message}", ex);
        }
    }
}
