using System.Threading.Channels;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Wire.Client;
using CretoAI.Fast.Wire.Transactions;
using Microsoft.Extensions.Logging;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// Transaction admission: cheap checks on the submitting connection's thread (parse, chain id,
/// duplicates, room), then one worker that verifies signatures in batches on all cores and admits
/// what passed. The queue in front of the worker is bounded; when it is full the submitter is told
/// "busy" at once.
/// </summary>
public sealed partial class ValidatorNode
{
    private const int AdmissionQueueCapacity = 8192;
    private const int AdmissionBatch = 256;

    private static readonly byte[] TransactionContext = SignedTransaction.SignatureContext.ToArray();

    private readonly Channel<PendingSubmission> _admissionQueue = Channel.CreateBounded<PendingSubmission>(new BoundedChannelOptions(AdmissionQueueCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private Task? _admission;

    /// <summary>Outcome of a submission: status, transaction id and a human-readable detail.</summary>
    internal readonly record struct Admission(SubmitStatus Status, Hash32 TransactionId, string Detail);

    public async ValueTask<SubmitStatus> SubmitAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken) =>
        (await AdmitAsync(envelope.ToArray(), cancellationToken).ConfigureAwait(false)).Status;

    internal ValueTask<Admission> AdmitAsync(byte[] envelope, CancellationToken cancellationToken)
    {
        var id = TransactionIds.Of(envelope);
        var error = SignedTransaction.TryParse(envelope, out var tx);
        if (error != TransactionParseError.None)
        {
            return Done(SubmitStatus.Malformed, $"not a signed transaction envelope: {error}");
        }

        if (tx.ChainId != _chainId)
        {
            return Done(SubmitStatus.WrongChain, $"signed for chain {tx.ChainId}, this node serves chain {_chainId}");
        }

        if (_stopping.IsCancellationRequested || _fatal is not null)
        {
            return Done(SubmitStatus.Unavailable, "the node is stopping");
        }

        if (_mempool.Contains(id))
        {
            return Done(SubmitStatus.Duplicate, "already in the mempool or recently committed");
        }

        if (_mempool.IsFull(envelope.Length))
        {
            return Done(SubmitStatus.Busy, $"mempool full ({_mempool.Count} transactions, {_mempool.Bytes} bytes); retry later");
        }

        var pending = new PendingSubmission(envelope, id, new TaskCompletionSource<Admission>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_admissionQueue.Writer.TryWrite(pending))
        {
            return Done(SubmitStatus.Busy, "admission queue full; retry later");
        }

        return new ValueTask<Admission>(pending.Result.Task.WaitAsync(cancellationToken));

        ValueTask<Admission> Done(SubmitStatus status, string detail)
        {
            _observer.TransactionSubmitted(status);
            return new ValueTask<Admission>(new Admission(status, id, detail));
        }
    }

    private void StartAdmission() => _admission = Task.Run(() => AdmissionLoopAsync(_stopping.Token));

    private async Task AdmissionLoopAsync(CancellationToken stopping)
    {
        var reader = _admissionQueue.Reader;
        var batch = new List<PendingSubmission>(AdmissionBatch);
        var items = new List<MLDsa87BatchItem>(AdmissionBatch);
        try
        {
            while (await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                batch.Clear();
                items.Clear();
                while (batch.Count < AdmissionBatch && reader.TryRead(out var next))
                {
                    var memory = next.Envelope.AsMemory();
                    SignedTransaction.TryParse(next.Envelope, out var tx);
                    var signed = SignedTransaction.HeaderSize + tx.BodyLength;
                    batch.Add(next);
                    items.Add(new MLDsa87BatchItem(
                        memory.Slice(SignedTransaction.HeaderSize - SignedTransaction.PublicKeySize, SignedTransaction.PublicKeySize),
                        memory[..signed],
                        TransactionContext,
                        memory.Slice(signed, SignedTransaction.SignatureSize)));
                }

                var clock = System.Diagnostics.Stopwatch.StartNew();
                var verdicts = _batchVerifier.VerifyAll(items);
                var rejected = verdicts.Count(v => !v);
                _observer.SignaturesVerified(items.Count, rejected, clock.Elapsed.TotalSeconds);
                for (var i = 0; i < batch.Count; i++)
                {
                    var p = batch[i];
                    var admission = verdicts[i]
                        ? _mempool.TryAdd(p.Id, p.Envelope) switch
                        {
                            SubmitStatus.Accepted => new Admission(SubmitStatus.Accepted, p.Id, "accepted into the mempool"),
                            SubmitStatus.Duplicate => new Admission(SubmitStatus.Duplicate, p.Id, "already in the mempool or recently committed"),
                            var other => new Admission(other, p.Id, "mempool full; retry later"),
                        }
                        : new Admission(SubmitStatus.BadSignature, p.Id, "the ML-DSA-87 signature does not verify against the sender's public key");
                    _observer.TransactionSubmitted(admission.Status);
                    p.Result.TrySetResult(admission);
                }

                _observer.MempoolSize(_mempool.Count, _mempool.Bytes);
                if (batch.Count > 0)
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
            while (reader.TryRead(out var left))
            {
                left.Result.TrySetResult(new Admission(SubmitStatus.Unavailable, left.Id, "the node is stopping"));
            }
        }

        _log.LogDebug("Admission worker stopped.");
    }

    private sealed record PendingSubmission(byte[] Envelope, Hash32 Id, TaskCompletionSource<Admission> Result);
}
