using System.Buffers;
using System.IO.Pipelines;
using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Net.Handshake;

/// <summary>
/// Reading and writing single frames during the handshake. The handshake is cold (once per
/// connection), so payloads are copied out of the pipe into arrays here; the session loop that
/// follows never does this.
/// </summary>
internal static class HandshakeFrames
{
    public static async ValueTask<(FrameHeader Header, ReadOnlySequence<byte> Payload)> ReadAsync(PipeReader input, FrameDecoder decoder, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var status = decoder.TryDecode(ref buffer, out var frame, out var error);
            switch (status)
            {
                case DecodeStatus.Frame:
                    var copy = new ReadOnlySequence<byte>(frame.Payload.ToArray());
                    input.AdvanceTo(buffer.Start);
                    return (frame.Header, copy);
                case DecodeStatus.Error:
                    input.AdvanceTo(result.Buffer.Start);
                    throw new WireException(error, "malformed frame during the handshake");
                default:
                    if (result.IsCompleted)
                    {
                        var code = FrameDecoder.CheckEndOfStream(result.Buffer);
                        input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                        throw new WireException(code == WireErrorCode.None ? WireErrorCode.HandshakeRequired : code, "connection closed during the handshake");
                    }

                    input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                    break;
            }
        }
    }

    /// <summary>Turns an Error frame from the peer into an exception carrying the peer's code and text.</summary>
    public static WireException FromErrorFrame(in ReadOnlySequence<byte> payload)
    {
        var status = ErrorPayload.TryRead(payload, out var code, out var message);
        return status == WireErrorCode.None
            ? new WireException(code, $"peer refused: {message}")
            : new WireException(status, "peer sent a malformed error frame");
    }

    public static async ValueTask WriteAsync(PipeWriter output, MessageType type, Action<IBufferWriter<byte>> writePayload, CancellationToken cancellationToken)
    {
        var payload = new ArrayBufferWriter<byte>(8 * 1024);
        writePayload(payload);
        FrameEncoder.Write(output, type, FrameFlags.None, 0, payload.WrittenSpan);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async ValueTask WriteErrorAsync(PipeWriter output, uint correlationId, WireErrorCode code, string message)
    {
        try
        {
            FrameEncoder.WriteError(output, correlationId, code, message);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await output.FlushAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The peer is not reading; it will see the connection close instead.
        }
        catch (InvalidOperationException)
        {
            // The pipe is already completed.
        }
    }
}
