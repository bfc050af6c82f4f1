using System.Buffers;
using CretoAI.Fast.Wire.Handshake;
using Xunit;

namespace CretoAI.Fast.Wire.Tests;

/// <summary>
/// Pins the worked examples printed in docs/protocol.md: if the encoder ever changes a byte, these
/// fail and the document must be updated with it.
/// </summary>
public class ProtocolExampleTests
{
    [Fact]
    public void Ping_example_matches_the_document() =>
        Assert.Equal(
            "43460100100000000100000005000000c307af5b68656c6c6f",
            Convert.ToHexStringLower(Frames.Encode(MessageType.Ping, 1, "hello"u8)));

    [Fact]
    public void Pong_example_matches_the_document() =>
        Assert.Equal(
            "43460101110000000100000005000000b7d9220b68656c6c6f",
            Convert.ToHexStringLower(Frames.Encode(MessageType.Pong, 1, "hello"u8, FrameFlags.Response)));

    [Fact]
    public void Error_example_matches_the_document()
    {
        var writer = new ArrayBufferWriter<byte>();
        FrameEncoder.WriteError(writer, 0, WireErrorCode.ChainIdMismatch, "peer is on a different chain");
        Assert.Equal(
            "434601010f0000000000000020000000bcc45b2f66001c0070656572206973206f6e206120646966666572656e7420636861696e",
            Convert.ToHexStringLower(writer.WrittenSpan));
    }

    [Fact]
    public void Handshake_payload_examples_match_the_document()
    {
        var chain = Enumerable.Repeat((byte)0xAA, 32).ToArray();
        var key = Enumerable.Repeat((byte)0x11, 2592).ToArray();
        var nonce = Enumerable.Repeat((byte)0xBB, 32).ToArray();
        var signature = Enumerable.Repeat((byte)0x22, 4627).ToArray();

        var hello = Encode(w => HandshakeCodec.Write(w, new HelloMessage(1, chain, key, nonce, PeerRole.Client)));
        Assert.Equal(2666, hello.Length);
        Assert.Equal("9501c420" + new string('a', 64) + "c50a20", Convert.ToHexStringLower(hello[..39]));
        Assert.Equal("c420" + string.Concat(Enumerable.Repeat("bb", 32)) + "00", Convert.ToHexStringLower(hello[^35..]));

        var welcome = Encode(w => HandshakeCodec.Write(w, new WelcomeMessage(1, chain, key, nonce, signature)));
        Assert.Equal(7295, welcome.Length);
        Assert.Equal("c51213", Convert.ToHexStringLower(welcome[2665..2668]));

        var authenticate = Encode(w => HandshakeCodec.Write(w, new AuthenticateMessage(signature)));
        Assert.Equal(4631, authenticate.Length);
        Assert.Equal("91c51213", Convert.ToHexStringLower(authenticate[..4]));

        var ready = Encode(w => HandshakeCodec.Write(w, new ReadyMessage(1048576, 1024, 300000)));
        Assert.Equal("93ce00100000cd0400ce000493e0", Convert.ToHexStringLower(ready));
    }

    private static byte[] Encode(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }
}
