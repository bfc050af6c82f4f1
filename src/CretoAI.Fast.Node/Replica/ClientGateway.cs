using System.Buffers;
using CretoAI.Fast.Net;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Client;
using CretoAI.Fast.Wire.Handshake;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// Serves the session frames of the node's one port: the client protocol (submit, status,
/// block, subscribe; any authenticated peer) and the validator link protocol (consensus messages,
/// sync requests, message forwarding and presence; validators of this chain only) and the agent
/// router's frames (<see cref="Routing.AgentGateway"/>). Runs on each connection's read loop, so it never
/// blocks: anything that waits (signature checks, archive reads, streams) is deferred.
/// </summary>
internal sealed class ClientGateway(ValidatorNode node) : IRequestHandler
{
    public bool TryHandle(RequestContext context, in Frame frame)
    {
        var header = frame.Header;
        if (node.AgentRouter is { } router)
        {
            if (header.Type is >= MessageType.RouteForward and <= MessageType.PresenceUpdate)
            {
                if (ValidatorIndex(context) is { } source)
                {
                    return router.TryHandleValidator(source, context, frame);
                }

                context.ReplyError(header.CorrelationId, WireErrorCode.PeerNotAuthorized, "routing between nodes is accepted from validators of this chain only");
                return true;
            }

            if (router.TryHandleClient(context, frame))
            {
                return true;
            }
        }

        switch (header.Type)
        {
            case MessageType.ConsensusMessage:
                if (ValidatorIndex(context) is { } from)
                {
                    node.OnConsensusFrameFromServer(from, frame.Payload);
                }
                else
                {
                    context.ReplyError(header.CorrelationId, WireErrorCode.PeerNotAuthorized, "consensus messages are accepted from validators of this chain only");
                }

                return true;
            case MessageType.SyncRequest:
                if (ValidatorIndex(context) is null)
                {
                    context.ReplyError(header.CorrelationId, WireErrorCode.PeerNotAuthorized, "sync is served to validators of this chain only");
                    return true;
                }

                Defer(context, header.CorrelationId, MessageType.SyncResponse, frame.Payload.ToArray(), static (n, p) => n.ServeSync(p));
                return true;
            case MessageType.SubmitTransaction:
                node.Admit(context, header.CorrelationId, UninitializedCopy(frame.Payload));
                return true;
            case MessageType.StatusRequest:
                {
                    var writer = new ArrayBufferWriter<byte>(256);
                    node.StatusMessage().WriteTo(writer);
                    context.Reply(MessageType.StatusReply, header.CorrelationId, writer.WrittenSpan);
                    return true;
                }

            case MessageType.GetBlock:
                {
                    if (!GetBlockMessage.TryRead(frame.Payload.ToArray(), out var request))
                    {
                        context.ReplyError(header.CorrelationId, WireErrorCode.MalformedPayload, "GetBlock carries one u64 height");
                        return true;
                    }

                    if (!context.TryDefer(header.CorrelationId, out var reply))
                    {
                        return true;
                    }

                    _ = Task.Run(async () =>
                    {
                        if (node.TryGetBlockMessage(request.Height, out var block))
                        {
                            var writer = new ArrayBufferWriter<byte>(1024);
                            block.WriteTo(writer);
                            await context.CompleteAsync(reply, MessageType.BlockInfo, writer.WrittenMemory).ConfigureAwait(false);
                        }
                        else
                        {
                            await CompleteErrorAsync(context, reply, WireErrorCode.NotFound, $"block {request.Height} is not committed yet (committed height is {node.Status.Height})").ConfigureAwait(false);
                        }
                    });
                    return true;
                }

            case MessageType.Subscribe:
                {
                    if (!SubscribeMessage.TryRead(frame.Payload.ToArray(), out var request))
                    {
                        context.ReplyError(header.CorrelationId, WireErrorCode.MalformedPayload, "Subscribe carries one u64 starting height");
                        return true;
                    }

                    if (context.TryOpenStream(header.CorrelationId, out var stream))
                    {
                        node.Subscribe(stream!, request.FromHeight);
                    }

                    return true;
                }

            default:
                return false;
        }
    }

    private static async Task CompleteErrorAsync(RequestContext context, DeferredReply reply, WireErrorCode code, string message)
    {
        var buffer = new byte[ErrorPayload.FixedLength + (message.Length * 3)];
        var length = ErrorPayload.Write(buffer, code, message);
        await context.CompleteAsync(reply, MessageType.Error, buffer.AsMemory(0, length)).ConfigureAwait(false);
    }

    private int? ValidatorIndex(RequestContext context) =>
        context.Peer.Role == PeerRole.Validator && node.IndexOfValidator(context.Peer.Id) is var i and >= 0 ? i : null;

    /// <summary>The payload in a new array the runtime does not zero first (the copy writes every byte).</summary>
    private static byte[] UninitializedCopy(in ReadOnlySequence<byte> payload)
    {
        var copy = GC.AllocateUninitializedArray<byte>(checked((int)payload.Length));
        payload.CopyTo(copy);
        return copy;
    }

    private void Defer(RequestContext context, uint correlationId, MessageType replyType, byte[] payload, Func<ValidatorNode, byte[], byte[]> work)
    {
        if (!context.TryDefer(correlationId, out var reply))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                var result = work(node, payload);
                await context.CompleteAsync(reply, replyType, result).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                await CompleteErrorAsync(context, reply, WireErrorCode.MalformedPayload, ex.Message).ConfigureAwait(false);
            }
        });
    }

}
