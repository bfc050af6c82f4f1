using System.Buffers;
using System.IO.Pipelines;
using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Net.Tests.Infrastructure;

/// <summary>Reading and building frames in tests.</summary>
internal static class FrameIo
{
    /// <summary>Reads the next frame, or null when the stream ended cleanly between frames.</summary>
    public static async Task<ReceivedFrame?> ReadFrameAsync(PipeReader input, FrameDecoder decoder, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var status = decoder.TryDecode(ref buffer, out var frame, out var error);
            if (status == DecodeStatus.Frame)
            {
                var received = new ReceivedFrame(frame.Header, frame.Payload.ToArray());
                input.AdvanceTo(buffer.Start);
                return received;
            }

            if (status == DecodeStatus.Error)
            {
                input.AdvanceTo(result.Buffer.Start);
                throw new InvalidOperationException($"The server sent a malformed frame: {error}.");
            }

            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted)
            {
                if (!result.Buffer.IsEmpty)
                {
                    throw new InvalidOperationException($"The stream ended inside a frame ({result.Buffer.Length} bytes left).");
                }

                return null;
            }
        }
    }

    /// <summary>Reads the next frame and fails the test if the stream ended instead.</summary>
    public static async Task<ReceivedFrame> ExpectFrameAsync(PipeReader input, FrameDecoder decoder, CancellationToken cancellationToken)
    {
        var frame = await ReadFrameAsync(input, decoder, cancellationToken);
        Xunit.Assert.NotNull(frame);
        return frame;
    }

    /// <summary>True when the stream ends (cleanly or by a reset) with no further frame.</summary>
    public static async Task<bool> EndsAsync(PipeReader input, FrameDecoder decoder, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadFrameAsync(input, decoder, cancellationToken) is null;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>One encoded frame as bytes.</summary>
    public static byte[] Encode(MessageType type, uint correlationId, ReadOnlySpan<byte> payload, FrameFlags flags = FrameFlags.None)
    {
        var buffer = new ArrayBufferWriter<byte>(FrameHeader.Size + payload.Length);
        FrameEncoder.Write(buffer, type, flags, correlationId, payload);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A payload whose bytes depend on <paramref name="seed"/> and their position, to catch reordering or corruption.</summary>
    public static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((i * 31) + seed);
        }

        return bytes;
    }

    public static CancellationTokenSource Timeout() => new(Eventually.Deadline);

    /// <summary>Writes pings 1..<paramref name="count"/> with 1 KB <see cref="Pattern"/> payloads, flushing every <paramref name="flushEvery"/> frames and at the end.</summary>
    public static async Task WritePingsAsync(PipeWriter output, int count, int flushEvery, CancellationToken cancellationToken)
    {
        for (var i = 1; i <= count; i++)
        {
            FrameEncoder.Write(output, MessageType.Ping, FrameFlags.None, (uint)i, Pattern(1024, i));
            if (i % flushEvery == 0)
            {
                await output.FlushAsync(cancellationToken);
            }
        }

        await output.FlushAsync(cancellationToken);
    }

    /// <summary>Reads the pongs of <see cref="WritePingsAsync"/> in order, checking the payload of every <paramref name="checkEvery"/>-th one.</summary>
    public static async Task ExpectPongsAsync(PipeReader input, FrameDecoder decoder, int count, int checkEvery, CancellationToken cancellationToken, Action<int>? each = null)
    {
        for (var i = 1; i <= count; i++)
        {
            var pong = await ExpectFrameAsync(input, decoder, cancellationToken);
            Xunit.Assert.Equal((uint)i, pong.CorrelationId);
            if (i % checkEvery == 0)
            {
                Xunit.Assert.Equal(Pattern(1024, i), pong.Payload);
            }

            each?.Invoke(i);
        }
    }
}
