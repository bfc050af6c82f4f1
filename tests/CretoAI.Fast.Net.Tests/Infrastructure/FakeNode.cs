using System.Buffers;
using System.Collections.Concurrent;
using CretoAI.Fast.Core;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Client;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Net.Tests.Infrastructure;

/// <summary>
/// A stand-in for the validator daemon's client gateway: serves the five client messages from
/// memory, the way docs/protocol.md ("Client protocol") says a node must. Submissions are answered
/// from the thread pool (deferred, as a node verifying signatures would); with
/// <see cref="CommitSubmissions"/> each accepted one is committed at once in a block of its own.
/// Subscriptions follow the pull model a node should use: one push loop per stream walks committed
/// heights and waits for the next commit, so a slow subscriber lags without anything buffering.
/// Shared by the Net and CLI tests (linked source).
/// </summary>
internal sealed class FakeNode : IRequestHandler
{
    private readonly ConcurrentDictionary<ulong, CommittedBlockMessage> _blocks = new();
    private readonly Lock _commitLock = new();
    private TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ulong _height;
    private ulong _committedTransactions;

    public FakeNode(Hash32 chainId, Hash32 nodeId)
    {
        ChainId = chainId;
        NodeId = nodeId;
    }

    public Hash32 ChainId { get; }

    public Hash32 NodeId { get; }

    public ulong Height => Volatile.Read(ref _height);

    /// <summary>What the node says about a submission; default: Accepted.</summary>
    public Func<byte[], SubmitStatus> Admit { get; set; } = _ => SubmitStatus.Accepted;

    /// <summary>When true, each accepted submission is committed in a new block with <see cref="VerdictFor"/>.</summary>
    public bool CommitSubmissions { get; set; }

    /// <summary>The verdict and reason a committed submission gets; default: Applied.</summary>
    public Func<byte[], (byte Verdict, string? Reason)> VerdictFor { get; set; } = _ => (TransactionVerdicts.Applied, null);

    /// <summary>When set, submissions wait for it before they are answered (to hold requests in flight).</summary>
    public Task? SubmitGate { get; set; }

    /// <summary>Mempool size reported in status.</summary>
    public int MempoolTransactions { get; set; }

    public ConcurrentQueue<byte[]> Submitted { get; } = new();

    /// <summary>Every stream opened, with the height it asked for.</summary>
    public ConcurrentQueue<(ReplyStream Stream, ulong FromHeight)> Streams { get; } = new();

    public int StatusRequests => Volatile.Read(ref _statusRequests);

    private int _statusRequests;

    public bool TryHandle(RequestContext context, in Frame frame)
    {
        switch (frame.Type)
        {
            case MessageType.StatusRequest:
                Interlocked.Increment(ref _statusRequests);
                if (!frame.Payload.IsEmpty)
                {
                    context.ReplyError(frame.CorrelationId, WireErrorCode.TrailingBytes, "a status request has no payload");
                    return true;
                }

                context.Reply(MessageType.StatusReply, frame.CorrelationId, Encode(Status().WriteTo));
                return true;

            case MessageType.GetBlock:
                if (!GetBlockMessage.TryRead(frame.Payload, out var get, out var getError))
                {
                    context.ReplyError(frame.CorrelationId, getError, "malformed GetBlock");
                }
                else if (_blocks.TryGetValue(get.Height, out var block))
                {
                    context.Reply(MessageType.BlockInfo, frame.CorrelationId, Encode(block.WriteTo));
                }
                else
                {
                    context.ReplyError(frame.CorrelationId, WireErrorCode.NotFound, $"block {get.Height} not committed yet (node height is {Height})");
                }

                return true;

            case MessageType.SubmitTransaction:
                if (context.TryDefer(frame.CorrelationId, out var reply))
                {
                    var envelope = frame.Payload.ToArray();
                    _ = Task.Run(() => AnswerSubmissionAsync(context, reply, envelope));
                }

                return true;

            case MessageType.Subscribe:
                if (!SubscribeMessage.TryRead(frame.Payload, out var subscribe, out var subscribeError))
                {
                    context.ReplyError(frame.CorrelationId, subscribeError, "malformed Subscribe");
                }
                else if (context.TryOpenStream(frame.CorrelationId, out var stream))
                {
                    // Resolve the start before the stream becomes visible: a test that waits for it and then commits must not race the resolution.
                    var from = subscribe.FromHeight == SubscribeMessage.Live ? Height + 1 : subscribe.FromHeight;
                    Streams.Enqueue((stream!, subscribe.FromHeight));
                    _ = Task.Run(() => PushLoopAsync(stream!, from));
                }

                return true;

            default:
                return false;
        }
    }

    /// <summary>Commits a block at the next height with these transactions; returns it.</summary>
    public CommittedBlockMessage Commit(params TransactionResultEntry[] transactions)
    {
        CommittedBlockMessage block;
        TaskCompletionSource signal;
        lock (_commitLock)
        {
            var height = _height + 1;
            var hash = Filled((byte)height, 0xb0);
            block = new CommittedBlockMessage(height, hash, Filled((byte)height, 0x50), height + 1, 1_700_000_000_000 + (height * 1000), (int)(height % 4), transactions);
            _blocks[height] = block;
            _committedTransactions += (ulong)transactions.Length;
            Volatile.Write(ref _height, height);
            signal = _committed;
            _committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
        return block;
    }

    public StatusMessage Status()
    {
        var height = Height;
        _blocks.TryGetValue(height, out var last);
        return new StatusMessage(
            NodeId,
            ChainId,
            0,
            height,
            last?.BlockHash ?? default,
            last?.StateHash ?? default,
            height + 1,
            0,
            3,
            MempoolTransactions,
            MempoolTransactions * 8000L,
            false,
            Volatile.Read(ref _committedTransactions),
            0);
    }

    private async Task AnswerSubmissionAsync(RequestContext context, DeferredReply reply, byte[] envelope)
    {
        if (SubmitGate is { } gate)
        {
            await gate;
        }

        Submitted.Enqueue(envelope);
        var id = TransactionIds.Of(envelope);
        var status = Admit(envelope);
        var detail = status == SubmitStatus.Accepted ? string.Empty : $"refused: {status}";
        await context.CompleteAsync(reply, MessageType.SubmitResult, Encode(new SubmitResultMessage(status, id, detail).WriteTo));
        if (status == SubmitStatus.Accepted && CommitSubmissions)
        {
            var (verdict, reason) = VerdictFor(envelope);
            Commit(new TransactionResultEntry(id, verdict, reason));
        }
    }

    private async Task PushLoopAsync(ReplyStream stream, ulong next)
    {
        try
        {
            while (!stream.IsClosed)
            {
                Task signal;
                lock (_commitLock)
                {
                    signal = _committed.Task;
                }

                if (_blocks.TryGetValue(next, out var block))
                {
                    if (!await stream.PushAsync(MessageType.CommitNotice, Encode(block.WriteTo), stream.Closed))
                    {
                        return;
                    }

                    next++;
                    continue;
                }

                await signal.WaitAsync(stream.Closed);
            }
        }
        catch (OperationCanceledException)
        {
            // The stream ended.
        }
    }

    private static byte[] Encode(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static Hash32 Filled(byte first, byte fill)
    {
        var bytes = new byte[Hash32.Size];
        bytes.AsSpan().Fill(fill);
        bytes[0] = first;
        return new Hash32(bytes);
    }
}
