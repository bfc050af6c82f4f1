using System.Buffers;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Handshake;

namespace CretoAI.Fast.Fuzz;

/// <summary>Writes the seed corpus: valid frames and payloads made by the real encoder, plus a few broken ones.</summary>
public static class CorpusGenerator
{
    public static void Write(string directory)
    {
        var frames = Directory.CreateDirectory(Path.Combine(directory, "frame")).FullName;
        var handshake = Directory.CreateDirectory(Path.Combine(directory, "handshake")).FullName;

        var hello = Payload(w => HandshakeCodec.Write(w, new HelloMessage(1, Fill(32, 0xAA), Fill(64, 0x11), Fill(32, 0xBB), PeerRole.Client)));
        var welcome = Payload(w => HandshakeCodec.Write(w, new WelcomeMessage(1, Fill(32, 0xAA), Fill(64, 0x11), Fill(32, 0xCC), Fill(96, 0x22))));
        var authenticate = Payload(w => HandshakeCodec.Write(w, new AuthenticateMessage(Fill(96, 0x22))));
        var ready = Payload(w => HandshakeCodec.Write(w, new ReadyMessage(1 << 20, 1024, 300_000)));
        var error = new byte[ErrorPayload.MaxLength];
        var errorLength = ErrorPayload.Write(error, WireErrorCode.ChainIdMismatch, "peer is on a different chain");

        File.WriteAllBytes(Path.Combine(handshake, "hello"), hello);
        File.WriteAllBytes(Path.Combine(handshake, "welcome"), welcome);
        File.WriteAllBytes(Path.Combine(handshake, "authenticate"), authenticate);
        File.WriteAllBytes(Path.Combine(handshake, "ready"), ready);
        File.WriteAllBytes(Path.Combine(handshake, "error"), error[..errorLength]);

        File.WriteAllBytes(Path.Combine(frames, "ping-empty"), Frame(MessageType.Ping, 1, []));
        File.WriteAllBytes(Path.Combine(frames, "ping-hello"), Frame(MessageType.Ping, 1, "hello"u8.ToArray()));
        File.WriteAllBytes(Path.Combine(frames, "pong-256"), Frame(MessageType.Pong, 2, Fill(256, 0x5A), FrameFlags.Response));
        File.WriteAllBytes(Path.Combine(frames, "hello"), Frame(MessageType.Hello, 0, hello));
        File.WriteAllBytes(Path.Combine(frames, "ready"), Frame(MessageType.Ready, 0, ready));
        File.WriteAllBytes(Path.Combine(frames, "error"), Frame(MessageType.Error, 0, error[..errorLength], FrameFlags.Response));
        File.WriteAllBytes(Path.Combine(frames, "two-pings"), [.. Frame(MessageType.Ping, 1, [1]), .. Frame(MessageType.Ping, 2, [2])]);
        var corrupt = Frame(MessageType.Ping, 3, [1, 2, 3]);
        corrupt[^1] ^= 0xFF;
        File.WriteAllBytes(Path.Combine(frames, "bad-checksum"), corrupt);
        File.WriteAllBytes(Path.Combine(frames, "truncated"), Frame(MessageType.Pong, 4, Fill(40, 1))[..30]);
    }

    private static byte[] Frame(MessageType type, uint id, byte[] payload, FrameFlags flags = FrameFlags.None)
    {
        var writer = new ArrayBufferWriter<byte>();
        FrameEncoder.Write(writer, type, flags, id, payload);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] Payload(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] Fill(int length, byte value) => Enumerable.Repeat(value, length).ToArray();
}
