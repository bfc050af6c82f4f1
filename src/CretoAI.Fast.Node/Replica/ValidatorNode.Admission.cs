using System.Buffers;
using System.Threading.Channels;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Client;
using CretoAI.Fast.Wire.Transactions;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// Transaction admission: cheap checks on the submitting connection's read loop (parse, chain id,
/// stopping, room), then one worker that takes the queued submissions in batches, hashes their ids
/// four at a time, drops duplicates, verifies the signatures of the rest on all cores, admits what
/// passed, and answers each connection's submissions of the batch with one write. The queue in front
/// of the worker is bounded; when it is full the submitter is told "busy" at once.
/// </summary>
public sealed partial class ValidatorNode
{
    private const int AdmissionQueueCapacity = 8192;
    private const int AdmissionBatch = 256;

    private readonly Channel<PendingSubmission> _admissionQueue = Channel.CreateBounded<PendingSubmission>(new BoundedChannelOptions(AdmissionQueueCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private Task? _admission;

    /// <summary>Outcome of a submission: status, transaction id and a human-readable detail.</summary>
    internal readonly record struct Admission(SubmitStatus Status, Hash32 TransactionId, string Detail);

    public async ValueTask<SubmitStatus> SubmitAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken) =>
        (await AdmitAsync(envelope.ToArray(), cancellationToken).ConfigureAwait(false)).Status;

    /// <summary>Admits <paramref name="envelope"/> and waits for the outcome (in-process callers).</summary>
    internal ValueTask<Admission> AdmitAsync(byte[] envelope, CancellationToken cancellationToken)
    {
        var result = new TaskCompletionSource<Admission>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_admissionQueue.Writer.TryWrite(new PendingSubmission(envelope, Screen(envelope), result, null, default)))
        {
            return new ValueTask<Admission>(NotQueued(envelope));
        }

        return new ValueTask<Admission>(result.Task.WaitAsync(cancellationToken));
    }

    /// <summary>
    /// Admits a submission from a client connection, on its read loop, so it never waits and never
    /// hashes: the cheap checks only note their verdict, and the request is deferred to the admission
    /// worker, which answers it with the rest of its batch. Only when the worker's queue is full is
    /// the answer (busy) given here.
    /// </summary>
    internal void Admit(RequestContext context, uint correlationId, byte[] envelope)
    {
        if (_admissionQueue.Reader.Count >= AdmissionQueueCapacity)
        {
            context.Reply(MessageType.SubmitResult, correlationId, Encode(NotQueued(envelope)));
            return;
        }

        if (!context.TryDefer(correlationId, out var reply))
        {
            return;
        }

        if (!_admissionQueue.Writer.TryWrite(new PendingSubmission(envelope, Screen(envelope), null, context, reply)))
        {
            // Filled (or closed by a stop) since the check above: rare, so answered the slow way.
            SendAnswers(context, [new DeferredAnswer(reply, MessageType.SubmitResult, Encode(NotQueued(envelope)))]);
        }
    }

    /// <summary>True once the node is stopping, on request or after a fatal failure: submissions are then answered Unavailable.</summary>
    private bool Stopping => _stopping.IsCancellationRequested || _fatal is not null;

    /// <summary>
    /// The checks that need neither the id nor a signature: the refusal they find (its id is filled
    /// in by the worker), or null when the signature is to be checked. A full mempool's Busy is given
    /// only to a transaction that is not already there (the worker checks: that one is a Duplicate).
    /// </summary>
    private Screened? Screen(byte[] envelope)
    {
        var error = SignedTransaction.TryParse(envelope, out var tx);
        if (error != TransactionParseError.None)
        {
            return new Screened(SubmitStatus.Malformed, $"not a signed transaction envelope: {error}");
        }

        if (tx.ChainId != _chainId)
        {
            return new Screened(SubmitStatus.WrongChain, $"signed for chain {tx.ChainId}, this node serves chain {_chainId}");
        }

        if (Stopping)
        {
            return new Screened(SubmitStatus.Unavailable, "the node is stopping");
        }

        if (_mempool.IsFull(envelope.Length))
        {
            return new Screened(SubmitStatus.Busy, $"mempool full ({_mempool.Count} transactions, {_mempool.Bytes} bytes); retry later");
        }

        return null;
    }

    /// <summary>The answer to a submission the worker's queue did not take: full, or closed because the node is stopping.</summary>
    private Admission NotQueued(byte[] envelope)
    {
        var stopping = Stopping;
        var status = stopping ? SubmitStatus.Unavailable : SubmitStatus.Busy;
        _observer.TransactionSubmitted(status);
        return new Admission(status, TransactionIds.Of(envelope), stopping ? "the node is stopping" : "admission queue full; retry later");
    }

    private static byte[] Encode(Admission admission)
    {
        var writer = new ArrayBufferWriter<byte>(SubmitResultMessage.FixedLength + 64);
        new SubmitResultMessage(admission.Status, admission.TransactionId, admission.Detail).WriteTo(writer);
        return writer.WrittenSpan.ToArray();
    }

    private void StartAdmission() => _admission = Task.Run(() => AdmissionLoopAsync(_stopping.Token));

    private async Task AdmissionLoopAsync(CancellationToken stopping)
    {
        var reader = _admissionQueue.Reader;
        var batch = new List<PendingSubmission>(AdmissionBatch);
        var envelopes = new ReadOnlyMemory<byte>[AdmissionBatch];
        var ids = new Hash32[AdmissionBatch];
        var outcomes = new Admission[AdmissionBatch];
        var toVerify = new List<int>(AdmissionBatch);
        var items = new List<MLDsa87BatchItem>(AdmissionBatch);
        try
        {
            while (await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < AdmissionBatch && reader.TryRead(out var next))
                {
                    envelopes[batch.Count] = next.Envelope;
                    batch.Add(next);
                }

                try
                {
                    Sha3Batch.Hash256(envelopes.AsSpan(0, batch.Count), ids);
                    Decide(batch, ids, outcomes, toVerify, items);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A bug, not bad input (bad input gets a verdict): answer this batch, keep serving.
                    _log.LogError(ex, "Admission of a batch of {Count} submissions failed: {Message}. They are answered Unavailable; the node goes on.", batch.Count, ex.Message);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        outcomes[i] = new Admission(SubmitStatus.Unavailable, TransactionIds.Of(batch[i].Envelope), "admission failed on this node; retry later");
                    }
                }

                Answer(batch, outcomes);
                _observer.MempoolSize(_mempool.Count, _mempool.Bytes);
                if (toVerify.Count > 0)
                {
                    _driverSignal.Set();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        finally
        {
            // No submission is queued after this, and whatever is still queued is answered, a batch
            // at a time, so no submitter waits forever.
            _admissionQueue.Writer.TryComplete();
            AnswerStopping(reader, batch, outcomes);
        }

        _log.LogDebug("Admission worker stopped.");
    }

    private void AnswerStopping(ChannelReader<PendingSubmission> reader, List<PendingSubmission> batch, Admission[] outcomes)
    {
        var more = true;
        while (more)
        {
            batch.Clear();
            while (batch.Count < AdmissionBatch && reader.TryRead(out var left))
            {
                outcomes[batch.Count] = new Admission(SubmitStatus.Unavailable, TransactionIds.Of(left.Envelope), "the node is stopping");
                batch.Add(left);
            }

            more = batch.Count == AdmissionBatch;
            Answer(batch, outcomes);
        }
    }

    /// <summary>
    /// Sets each submission's outcome: duplicates of the pool (or of recent commits) are refused
    /// without a signature check; the rest are verified together and admitted if their signature holds.
    /// </summary>
    private void Decide(List<PendingSubmission> batch, Hash32[] ids, Admission[] outcomes, List<int> toVerify, List<MLDsa87BatchItem> items)
    {
        toVerify.Clear();
        items.Clear();
        for (var i = 0; i < batch.Count; i++)
        {
            var screened = batch[i].Screened;
            if (screened is { Status: not SubmitStatus.Busy } refused)
            {
                outcomes[i] = new Admission(refused.Status, ids[i], refused.Detail);
                continue;
            }

            if (_mempool.Contains(ids[i]))
            {
                outcomes[i] = new Admission(SubmitStatus.Duplicate, ids[i], "already in the mempool or recently committed");
                continue;
            }

            if (screened is { } busy)
            {
                outcomes[i] = new Admission(busy.Status, ids[i], busy.Detail);
                continue;
            }

            SignedTransaction.TryParse(batch[i].Envelope, out var tx);
            toVerify.Add(i);
            items.Add(TransactionSignature.BatchItem(batch[i].Envelope, tx.BodyLength));
        }

        if (items.Count == 0)
        {
            return;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var verdicts = _batchVerifier.VerifyAll(items);
        _observer.SignaturesVerified(items.Count, verdicts.Count(v => !v), clock.Elapsed.TotalSeconds);
        for (var k = 0; k < toVerify.Count; k++)
        {
            var i = toVerify[k];
            outcomes[i] = verdicts[k]
                ? _mempool.TryAdd(ids[i], batch[i].Envelope) switch
                {
                    SubmitStatus.Accepted => new Admission(SubmitStatus.Accepted, ids[i], "accepted into the mempool"),
                    SubmitStatus.Duplicate => new Admission(SubmitStatus.Duplicate, ids[i], "already in the mempool or recently committed"),
                    var other => new Admission(other, ids[i], "mempool full; retry later"),
                }
                : new Admission(SubmitStatus.BadSignature, ids[i], "the ML-DSA-87 signature does not verify against the sender's public key");
        }
    }

    /// <summary>
    /// Hands each outcome to its submitter: in-process waiters directly, client connections with one
    /// write per connection for the whole batch (a connection slow to read holds up only its own answers).
    /// </summary>
    private void Answer(List<PendingSubmission> batch, Admission[] outcomes)
    {
        Dictionary<RequestContext, List<DeferredAnswer>>? byConnection = null;
        for (var i = 0; i < batch.Count; i++)
        {
            var p = batch[i];
            _observer.TransactionSubmitted(outcomes[i].Status);
            if (p.Waiter is { } waiter)
            {
                waiter.TrySetResult(outcomes[i]);
            }
            else if (p.Connection is { } connection)
            {
                byConnection ??= [];
                if (!byConnection.TryGetValue(connection, out var answers))
                {
                    byConnection[connection] = answers = [];
                }

                answers.Add(new DeferredAnswer(p.Reply, MessageType.SubmitResult, Encode(outcomes[i])));
            }
        }

        if (byConnection is not null)
        {
            foreach (var (connection, answers) in byConnection)
            {
                SendAnswers(connection, answers);
            }
        }
    }

    /// <summary>Sends a connection its answers without waiting; a failure other than the connection closing is logged.</summary>
    private void SendAnswers(RequestContext connection, List<DeferredAnswer> answers) =>
        _ = SendAnswersAsync(connection, answers);

    private async Task SendAnswersAsync(RequestContext connection, List<DeferredAnswer> answers)
    {
        try
        {
            await connection.CompleteAllAsync(answers).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            _log.LogDebug("Submission answers to {Peer} not sent, the connection is closing: {Message}", connection.Peer.Id.ToShortString(), ex.Message);
        }
        catch (Exception ex)
        {
            _log.LogWarning(ex, "{Count} submission answers to {Peer} not sent: {Message}", answers.Count, connection.Peer.Id.ToShortString(), ex.Message);
        }
    }

    /// <summary>A refusal found by the cheap checks on the read loop, before the id is known.</summary>
    private readonly record struct Screened(SubmitStatus Status, string Detail);

    /// <summary>A queued submission and who waits for its outcome: an in-process caller, or a client connection's deferred request.</summary>
    private sealed record PendingSubmission(byte[] Envelope, Screened? Screened, TaskCompletionSource<Admission>? Waiter, RequestContext? Connection, DeferredReply Reply);
}
