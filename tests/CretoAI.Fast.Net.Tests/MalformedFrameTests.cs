using System.Buffers.Binary;
using CretoAI.Fast.Net.Tests.Infrastructure;
using CretoAI.Fast.Wire;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.Net.Tests;

/// <summary>
/// After the handshake, a malformed frame ends only its own connection, after an Error frame that
/// names the problem; every other session carries on.
/// </summary>
public sealed class MalformedFrameTests
{
    private const int MaxPayload = 64 * 1024;

    public enum Corruption
    {
        BadMagicFirstByte,
        BadMagicSecondByte,
        UnsupportedVersion,
        ReservedFlags,
        ReservedHeaderBits,
        OversizedLength,
        ChecksumInPayload,
        ChecksumInHeader,
        HandshakeMessageInSession,
    }

    [Theory]
    [InlineData(Corruption.BadMagicFirstByte, WireErrorCode.BadMagic)]
    [InlineData(Corruption.BadMagicSecondByte, WireErrorCode.BadMagic)]
    [InlineData(Corruption.UnsupportedVersion, WireErrorCode.UnsupportedVersion)]
    [InlineData(Corruption.ReservedFlags, WireErrorCode.ReservedFlags)]
    [InlineData(Corruption.ReservedHeaderBits, WireErrorCode.ReservedHeaderBits)]
    [InlineData(Corruption.OversizedLength, WireErrorCode.FrameTooLarge)]
    [InlineData(Corruption.ChecksumInPayload, WireErrorCode.ChecksumMismatch)]
    [InlineData(Corruption.ChecksumInHeader, WireErrorCode.ChecksumMismatch)]
    [InlineData(Corruption.HandshakeMessageInSession, WireErrorCode.UnexpectedMessage)]
    public async Task Malformed_frame_gets_its_error_code_and_closes_the_connection(Corruption corruption, WireErrorCode expected)
    {
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.MaxPayloadLength = MaxPayload));
        await using var _ = server;
        await using var victim = await TestServer.ConnectAsync(endpoint);

        await TestServer.SendRawAsync(victim, Corrupt(corruption));

        await AssertClosedWithAsync(victim, expected);
        await Eventually.AssertAsync(() => server.Counters.Errors(expected) == 1, $"one {expected} counted");
        await Eventually.AssertAsync(() => server.ActiveConnections == 0, "the connection is released");
        await TestServer.AssertServesAsync(endpoint);
    }

    [Fact]
    public async Task A_malformed_frame_on_one_connection_does_not_disturb_others()
    {
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.MaxPayloadLength = MaxPayload));
        await using var _ = server;
        await using var bystander = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();
        Assert.Equal([1], await bystander.PingAsync(new byte[] { 1 }, timeout.Token));

        foreach (var corruption in Enum.GetValues<Corruption>())
        {
            await using var victim = await TestServer.ConnectAsync(endpoint);
            await TestServer.SendRawAsync(victim, Corrupt(corruption));
            await AssertClosedWithAsync(victim, null);

            var payload = FrameIo.Pattern(300, (int)corruption);
            Assert.Equal(payload, await bystander.PingAsync(payload, timeout.Token));
        }

        await Eventually.AssertAsync(() => server.ActiveConnections == 1, "only the bystander remains");
    }

    [Fact]
    public async Task Random_bytes_get_an_error_frame_and_a_close()
    {
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.MaxPayloadLength = MaxPayload));
        await using var _ = server;
        var garbage = Gen.Byte.Array[1, 256].Select(bytes =>
        {
            // Anything but the magic's first byte: the decoder must reject at once.
            bytes[0] = bytes[0] == FrameHeader.MagicByte0 ? (byte)0 : bytes[0];
            return bytes;
        });

        var samples = 0;
        await garbage.SampleAsync(
            async bytes =>
            {
                await using var victim = await TestServer.ConnectAsync(endpoint);
                await TestServer.SendRawAsync(victim, bytes);
                await AssertClosedWithAsync(victim, WireErrorCode.BadMagic);
                samples++;
            },
            iter: 12,
            threads: 1);

        await Eventually.AssertAsync(() => server.Counters.Errors(WireErrorCode.BadMagic) == samples, "every garbage connection counted");
        await TestServer.AssertServesAsync(endpoint);
    }

    [Fact]
    public async Task Any_bytes_followed_by_a_close_get_a_framing_error_and_the_server_survives()
    {
        var (server, endpoint) = TestServer.Start(TestServer.Options(o => o.MaxPayloadLength = MaxPayload));
        await using var _ = server;

        // Bytes that often begin like a real header, so every decoder check is reached.
        var header = Gen.Select(Gen.Byte.Array[0, 40], Gen.Bool, (bytes, magic) =>
        {
            if (magic && bytes.Length >= 3)
            {
                bytes[0] = FrameHeader.MagicByte0;
                bytes[1] = FrameHeader.MagicByte1;
                bytes[2] = FrameHeader.CurrentVersion;
            }

            return bytes;
        }).Where(bytes => bytes.Length > 0);

        await header.SampleAsync(
            async bytes =>
            {
                await using var victim = await TestServer.ConnectAsync(endpoint);
                await TestServer.SendRawAsync(victim, bytes);
                await victim.Output.CompleteAsync();
                var code = await AssertClosedWithAsync(victim, null);
                Assert.True(code is >= WireErrorCode.BadMagic and <= WireErrorCode.ReservedHeaderBits, $"framing error expected, got {code}");
            },
            iter: 24,
            threads: 1);

        await TestServer.AssertServesAsync(endpoint);
    }

    [Fact]
    public async Task Truncated_frame_then_close_gets_TruncatedFrame()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var bystander = await TestServer.ConnectAsync(endpoint);
        await using var victim = await TestServer.ConnectAsync(endpoint);
        var frame = FrameIo.Encode(MessageType.Ping, 5, FrameIo.Pattern(100, 3));

        await TestServer.SendRawAsync(victim, frame.AsMemory(0, 30));
        await victim.Output.CompleteAsync(); // half-close: we can still read the server's answer

        await AssertClosedWithAsync(victim, WireErrorCode.TruncatedFrame);
        await Eventually.AssertAsync(() => server.Counters.Errors(WireErrorCode.TruncatedFrame) == 1, "one TruncatedFrame counted");
        using var timeout = FrameIo.Timeout();
        Assert.Equal([7, 7], await bystander.PingAsync(new byte[] { 7, 7 }, timeout.Token));
    }

    [Fact]
    public async Task Truncated_header_then_close_gets_TruncatedFrame()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var victim = await TestServer.ConnectAsync(endpoint);

        await TestServer.SendRawAsync(victim, FrameIo.Encode(MessageType.Ping, 5, [1]).AsMemory(0, 11));
        await victim.Output.CompleteAsync();

        await AssertClosedWithAsync(victim, WireErrorCode.TruncatedFrame);
    }

    [Fact]
    public async Task Clean_close_between_frames_is_not_an_error()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var client = await TestServer.ConnectAsync(endpoint);
        using var timeout = FrameIo.Timeout();
        await client.PingAsync(new byte[] { 1 }, timeout.Token);

        await client.Output.CompleteAsync();

        Assert.True(await FrameIo.EndsAsync(client.Input, client.Decoder, timeout.Token));
        await Eventually.AssertAsync(() => server.ActiveConnections == 0, "the connection is released");
        Assert.Equal(0, server.Counters.Errors(WireErrorCode.TruncatedFrame));
    }

    [Fact]
    public async Task Frames_before_the_bad_one_in_the_same_write_are_answered_first()
    {
        var (server, endpoint) = TestServer.Start();
        await using var _ = server;
        await using var victim = await TestServer.ConnectAsync(endpoint);
        var good = FrameIo.Encode(MessageType.Ping, 11, [4, 5, 6]);
        var bad = Corrupt(Corruption.ChecksumInPayload);

        await TestServer.SendRawAsync(victim, good.Concat(bad).ToArray());

        using var timeout = FrameIo.Timeout();
        var pong = await FrameIo.ExpectFrameAsync(victim.Input, victim.Decoder, timeout.Token);
        Assert.Equal(MessageType.Pong, pong.Type);
        Assert.Equal(11u, pong.CorrelationId);
        Assert.Equal([4, 5, 6], pong.Payload);
        await AssertClosedWithAsync(victim, WireErrorCode.ChecksumMismatch);
    }

    /// <summary>Reads the Error frame that must come next, then the end of the stream; returns the code.</summary>
    private static async Task<WireErrorCode> AssertClosedWithAsync(FrameClient client, WireErrorCode? expected)
    {
        using var timeout = FrameIo.Timeout();
        var error = await FrameIo.ExpectFrameAsync(client.Input, client.Decoder, timeout.Token);
        var code = error.ErrorCode;
        if (expected is { } want)
        {
            Assert.Equal(want, code);
        }

        Assert.Equal(0u, error.CorrelationId);
        Assert.True(WireErrorCodes.ClosesConnection(code));
        Assert.True(await FrameIo.EndsAsync(client.Input, client.Decoder, timeout.Token), "the server closes the connection after the error");
        return code;
    }

    private static byte[] Corrupt(Corruption corruption)
    {
        var frame = FrameIo.Encode(MessageType.Ping, 77, FrameIo.Pattern(64, 1));
        switch (corruption)
        {
            case Corruption.BadMagicFirstByte:
                frame[0] = (byte)'G';
                break;
            case Corruption.BadMagicSecondByte:
                frame[1] ^= 0xFF;
                break;
            case Corruption.UnsupportedVersion:
                frame[2] = 2;
                break;
            case Corruption.ReservedFlags:
                frame[3] = 0x80;
                break;
            case Corruption.ReservedHeaderBits:
                frame[6] = 1;
                break;
            case Corruption.OversizedLength:
                // Only the header is sent: the server must refuse without waiting for the payload.
                BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(12), MaxPayload + 1);
                return frame[..FrameHeader.Size];
            case Corruption.ChecksumInPayload:
                frame[^1] ^= 0x01;
                break;
            case Corruption.ChecksumInHeader:
                frame[9] ^= 0x01; // the correlation id is covered by the checksum too
                break;
            case Corruption.HandshakeMessageInSession:
                return FrameIo.Encode(MessageType.Hello, 0, [0x90]);
        }

        return frame;
    }
}
