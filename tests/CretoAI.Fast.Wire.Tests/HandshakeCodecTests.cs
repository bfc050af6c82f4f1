using System.Buffers;
using CretoAI.Fast.Wire.Handshake;
using CsCheck;
using MessagePack;
using Xunit;

namespace CretoAI.Fast.Wire.Tests;

public class HandshakeCodecTests
{
    private static readonly Gen<byte[]> Bytes32 = Gen.Byte.Array[32];

    [Fact]
    public void Hello_round_trips() =>
        Gen.Select(Gen.Byte, Bytes32, Gen.Byte.Array[1, WireLimits.MaxPublicKeyBytes], Bytes32, Gen.OneOfConst(PeerRole.Client, PeerRole.Validator))
            .Sample((version, chain, key, nonce, role) =>
            {
                var read = RoundTrip<HelloMessage>(w => HandshakeCodec.Write(w, new HelloMessage(version, chain, key, nonce, role)), HandshakeCodec.TryRead);
                Assert.Equal(version, read.ProtocolVersion);
                Assert.Equal(chain, read.ChainId.ToArray());
                Assert.Equal(key, read.PublicKey.ToArray());
                Assert.Equal(nonce, read.Nonce.ToArray());
                Assert.Equal(role, read.Role);
            }, iter: 200);

    [Fact]
    public void Welcome_round_trips() =>
        Gen.Select(Gen.Byte, Bytes32, Gen.Byte.Array[1, 3000], Bytes32, Gen.Byte.Array[1, WireLimits.MaxSignatureBytes])
            .Sample((version, chain, key, nonce, signature) =>
            {
                var read = RoundTrip<WelcomeMessage>(w => HandshakeCodec.Write(w, new WelcomeMessage(version, chain, key, nonce, signature)), HandshakeCodec.TryRead);
                Assert.Equal(version, read.ProtocolVersion);
                Assert.Equal(chain, read.ChainId.ToArray());
                Assert.Equal(key, read.PublicKey.ToArray());
                Assert.Equal(nonce, read.Nonce.ToArray());
                Assert.Equal(signature, read.Signature.ToArray());
            }, iter: 200);

    [Fact]
    public void Authenticate_round_trips() =>
        Gen.Byte.Array[1, WireLimits.MaxSignatureBytes].Sample(signature =>
        {
            var read = RoundTrip<AuthenticateMessage>(w => HandshakeCodec.Write(w, new AuthenticateMessage(signature)), HandshakeCodec.TryRead);
            Assert.Equal(signature, read.Signature.ToArray());
        }, iter: 200);

    [Fact]
    public void Ready_round_trips() =>
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue]).Sample((payload, inFlight, idle) =>
        {
            var read = RoundTrip<ReadyMessage>(w => HandshakeCodec.Write(w, new ReadyMessage(payload, inFlight, idle)), HandshakeCodec.TryRead);
            Assert.Equal(new ReadyMessage(payload, inFlight, idle), read);
        });

    [Fact]
    public void Fewer_elements_than_known_is_payload_too_short() =>
        Assert.Equal(WireErrorCode.PayloadTooShort, Read<ReadyMessage>((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(2);
            w.Write(1);
            w.Write(2);
        }, HandshakeCodec.TryRead));

    [Fact]
    public void More_elements_than_known_are_skipped_for_forward_compatibility()
    {
        var status = HandshakeCodec.TryRead(Payload((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(5);
            w.Write(1000);
            w.Write(16);
            w.Write(30000);
            w.Write("a field from a newer version");
            w.WriteMapHeader(1);
            w.Write(1);
            w.Write(new byte[] { 1, 2, 3 });
        }), out ReadyMessage? ready);
        Assert.Equal(WireErrorCode.None, status);
        Assert.Equal(new ReadyMessage(1000, 16, 30000), ready);
    }

    [Fact]
    public void Bytes_after_the_array_are_trailing_bytes()
    {
        var writer = new ArrayBufferWriter<byte>();
        HandshakeCodec.Write(writer, new AuthenticateMessage(new byte[] { 1 }));
        var extended = new ReadOnlySequence<byte>([.. writer.WrittenSpan, 0xC0]);
        Assert.Equal(WireErrorCode.TrailingBytes, HandshakeCodec.TryRead(extended, out AuthenticateMessage? _));
    }

    [Fact]
    public void Wrong_messagepack_types_are_malformed()
    {
        Assert.Equal(WireErrorCode.MalformedPayload, Read<AuthenticateMessage>((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(1);
            w.Write("not bytes");
        }, HandshakeCodec.TryRead));
        Assert.Equal(WireErrorCode.MalformedPayload, Read<ReadyMessage>((ref MessagePackWriter w) => w.Write(7), HandshakeCodec.TryRead));
        Assert.Equal(WireErrorCode.MalformedPayload, Read<ReadyMessage>((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(3);
            w.Write(-1);
            w.Write(1);
            w.Write(1);
        }, HandshakeCodec.TryRead));
        Assert.Equal(WireErrorCode.MalformedPayload, Read<ReadyMessage>((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(3);
            w.Write(ulong.MaxValue);
            w.Write(1);
            w.Write(1);
        }, HandshakeCodec.TryRead));
    }

    [Fact]
    public void Nonce_and_chain_id_must_be_exactly_32_bytes()
    {
        foreach (var (chainLength, nonceLength, expected) in new[] { (31, 32, WireErrorCode.MalformedPayload), (32, 31, WireErrorCode.MalformedPayload), (33, 32, WireErrorCode.FieldTooLarge), (32, 32, WireErrorCode.None) })
        {
            var status = Read<HelloMessage>((ref MessagePackWriter w) =>
            {
                w.WriteArrayHeader(5);
                w.Write(1);
                w.Write(new byte[chainLength]);
                w.Write(new byte[10]);
                w.Write(new byte[nonceLength]);
                w.Write(0);
            }, HandshakeCodec.TryRead);
            Assert.Equal(expected, status);
        }
    }

    [Fact]
    public void Oversized_fields_are_refused()
    {
        Assert.Equal(WireErrorCode.FieldTooLarge, Read<AuthenticateMessage>((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(1);
            w.Write(new byte[WireLimits.MaxSignatureBytes + 1]);
        }, HandshakeCodec.TryRead));
        Assert.Equal(WireErrorCode.FieldTooLarge, Read<ReadyMessage>((ref MessagePackWriter w) => w.WriteArrayHeader(WireLimits.MaxHandshakeFields + 1), HandshakeCodec.TryRead));
    }

    [Fact]
    public void A_lying_binary_length_is_refused_before_anything_is_sliced_or_allocated()
    {
        // bin32 header claiming 4 GiB - 1 with 3 bytes behind it: over the field limit.
        byte[] huge = [0x91, 0xC6, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3];
        Assert.Equal(WireErrorCode.FieldTooLarge, HandshakeCodec.TryRead(new ReadOnlySequence<byte>(huge), out AuthenticateMessage? _));

        // bin16 header claiming 100 bytes with 3 behind it: within the limit, but not there.
        byte[] shortOne = [0x91, 0xC5, 0x00, 0x64, 1, 2, 3];
        Assert.Equal(WireErrorCode.PayloadTooShort, HandshakeCodec.TryRead(new ReadOnlySequence<byte>(shortOne), out AuthenticateMessage? _));

        // A bin8 header cut off before its length byte.
        byte[] cut = [0x91, 0xC4];
        Assert.Equal(WireErrorCode.MalformedPayload, HandshakeCodec.TryRead(new ReadOnlySequence<byte>(cut), out AuthenticateMessage? _));
    }

    [Fact]
    public void Unknown_role_is_malformed() =>
        Assert.Equal(WireErrorCode.MalformedPayload, Read<HelloMessage>((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(5);
            w.Write(1);
            w.Write(new byte[32]);
            w.Write(new byte[10]);
            w.Write(new byte[32]);
            w.Write(2);
        }, HandshakeCodec.TryRead));

    [Fact]
    public void Empty_payload_is_too_short()
    {
        Assert.Equal(WireErrorCode.PayloadTooShort, HandshakeCodec.TryRead(ReadOnlySequence<byte>.Empty, out HelloMessage? _));
        Assert.Equal(WireErrorCode.PayloadTooShort, HandshakeCodec.TryRead(ReadOnlySequence<byte>.Empty, out WelcomeMessage? _));
    }

    [Fact]
    public void Random_bytes_never_throw() =>
        Gen.Byte.Array[0, 600].Sample(bytes =>
        {
            var sequence = new ReadOnlySequence<byte>(bytes);
            _ = HandshakeCodec.TryRead(sequence, out HelloMessage? _);
            _ = HandshakeCodec.TryRead(sequence, out WelcomeMessage? _);
            _ = HandshakeCodec.TryRead(sequence, out AuthenticateMessage? _);
            _ = HandshakeCodec.TryRead(sequence, out ReadyMessage? _);
            _ = ErrorPayload.TryRead(sequence, out _, out _);
        }, iter: 2000);

    [Fact]
    public void Transcript_layout_puts_each_field_at_its_documented_offset()
    {
        var transcript = new byte[HandshakeTranscript.Length];
        HandshakeTranscript.Write(transcript, 1, PeerRole.Validator, Fill(0xA1), Fill(0xB2), Fill(0xC3), Fill(0xD4), Fill(0xE5));
        Assert.Equal("CRETOAI-FAST/HANDSHAKE/1"u8.ToArray(), transcript[..24]);
        Assert.Equal(1, transcript[24]);
        Assert.Equal(1, transcript[25]);
        Assert.All(transcript[26..58], b => Assert.Equal(0xA1, b));
        Assert.All(transcript[58..90], b => Assert.Equal(0xB2, b));
        Assert.All(transcript[90..122], b => Assert.Equal(0xC3, b));
        Assert.All(transcript[122..154], b => Assert.Equal(0xD4, b));
        Assert.All(transcript[154..186], b => Assert.Equal(0xE5, b));
        Assert.Throws<ArgumentException>(() => HandshakeTranscript.Write(transcript, 1, PeerRole.Client, new byte[31], Fill(0), Fill(0), Fill(0), Fill(0)));
    }

    private static byte[] Fill(byte value) => Enumerable.Repeat(value, 32).ToArray();

    private delegate WireErrorCode Reader<T>(in ReadOnlySequence<byte> payload, out T? message);

    private static T RoundTrip<T>(Action<IBufferWriter<byte>> write, Reader<T> read)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        Assert.Equal(WireErrorCode.None, read(new ReadOnlySequence<byte>(writer.WrittenMemory), out var message));
        return message!;
    }

    private delegate void Writing(ref MessagePackWriter writer);

    private static WireErrorCode Read<T>(Writing write, Reader<T> read) => read(Payload(write), out _);

    private static ReadOnlySequence<byte> Payload(Writing write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return new ReadOnlySequence<byte>(buffer.WrittenMemory);
    }
}
