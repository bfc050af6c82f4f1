using System.Net;
using System.Net.Sockets;
using CretoAI.Fast.LoadGen.Engine;
using CretoAI.Fast.Net.Sockets;

namespace CretoAI.Fast.LoadGen.Modes;

/// <summary>
/// <c>resp-ping</c>: RESP <c>PING</c> to a redis-server (or anything speaking RESP), through the same
/// socket pipe and the same <see cref="ConnectionDriver{TProtocol}"/> as <c>ping</c>, so the two
/// servers are measured by identical client code. One PING is exchanged at connect time to check
/// that the port speaks RESP before the load starts.
/// </summary>
internal sealed class RespPingMode : NetworkLoadMode<RespPingProtocol>
{
    private const int MaxReply = 64 * 1024;

    public RespPingMode(LoadPlan plan)
        : base(plan)
    {
    }

    public override string Name => "resp-ping";

    protected override async Task<ConnectionDriver<RespPingProtocol>> ConnectOneAsync(EndPoint target, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Plan.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        SocketPipe? pipe = null;
        try
        {
            await socket.ConnectAsync(target, timeout.Token).ConfigureAwait(false);
            pipe = new SocketPipe(socket, MaxReply, inlineScheduling: true);
            await ProbeAsync(pipe, target, timeout.Token).ConfigureAwait(false);
            return new ConnectionDriver<RespPingProtocol>(pipe.Input, pipe.Output, pipe, default);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (pipe is not null)
            {
                await pipe.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Dispose();
            }

            throw ex switch
            {
                LoadGenException => ex,
                SocketException socketError => new LoadGenException($"cannot connect to {target}: {socketError.Message} ({socketError.SocketErrorCode})", ex),
                OperationCanceledException => new LoadGenException($"{target} did not answer a RESP PING within {Plan.ConnectTimeout.TotalSeconds:0.#} s; is it a redis-server? (for a cretoai-fast node use --mode ping)", ex),
                _ => ex,
            };
        }
    }

    private static async Task ProbeAsync(SocketPipe pipe, EndPoint target, CancellationToken cancellationToken)
    {
        var protocol = default(RespPingProtocol);
        protocol.WriteRequest(pipe.Output, 0);
        await pipe.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var result = await pipe.Input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            ReplyStatus status;
            try
            {
                status = protocol.TryReadReply(ref buffer, 0);
            }
            catch (LoadGenException ex)
            {
                throw new LoadGenException($"{target}: {ex.Message} (for a cretoai-fast node use --mode ping)", ex);
            }

            pipe.Input.AdvanceTo(buffer.Start, buffer.End);
            if (status == ReplyStatus.Succeeded)
            {
                return;
            }

            if (status == ReplyStatus.Failed)
            {
                throw new LoadGenException($"{target} answered PING with an error (authentication required?)");
            }

            if (result.IsCompleted)
            {
                throw new LoadGenException($"{target} closed the connection instead of answering a RESP PING (for a cretoai-fast node use --mode ping)");
            }
        }
    }
}
