using System.Buffers;
using MessagePack;

namespace CretoAI.Fast.Wire.Handshake;

/// <summary>
/// MessagePack encodings of the four handshake payloads. Each payload is one MessagePack array
/// whose elements are the fields in the documented order. A reader accepts more elements than it
/// knows (a newer peer's additions, skipped) but not fewer, and rejects any byte after the array.
/// Written with <see cref="MessagePackWriter"/>/<see cref="MessagePackReader"/> primitives: no
/// reflection, NativeAOT-safe. The handshake is cold, so decoded fields are copied into arrays.
/// </summary>
public static class HandshakeCodec
{
    public static void Write(IBufferWriter<byte> output, HelloMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var writer = new MessagePackWriter(output);
        WriteIdentity(ref writer, message.ProtocolVersion, message.ChainId, message.PublicKey, message.Nonce);
        writer.Write((byte)message.Role);
        writer.Flush();
    }

    public static void Write(IBufferWriter<byte> output, WelcomeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var writer = new MessagePackWriter(output);
        WriteIdentity(ref writer, message.ProtocolVersion, message.ChainId, message.PublicKey, message.Nonce);
        writer.Write(message.Signature.Span);
        writer.Flush();
    }

    public static void Write(IBufferWriter<byte> output, AuthenticateMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var writer = new MessagePackWriter(output);
        writer.WriteArrayHeader(1);
        writer.Write(message.Signature.Span);
        writer.Flush();
    }

    public static void Write(IBufferWriter<byte> output, ReadyMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var writer = new MessagePackWriter(output);
        writer.WriteArrayHeader(3);
        writer.Write(message.MaxPayloadLength);
        writer.Write(message.MaxInFlight);
        writer.Write(message.IdleTimeoutMilliseconds);
        writer.Flush();
    }

    public static WireErrorCode TryRead(in ReadOnlySequence<byte> payload, out HelloMessage? message)
    {
        message = null;
        var reader = new PayloadReader(payload);
        if (!TryReadIdentity(ref reader, out var version, out var chainId, out var publicKey, out var nonce)
            || !reader.TryReadByte(out var role)
            || !reader.TryEnd())
        {
            return reader.Error;
        }

        if (role > (byte)PeerRole.Validator)
        {
            return WireErrorCode.MalformedPayload;
        }

        message = new HelloMessage(version, chainId, publicKey, nonce, (PeerRole)role);
        return WireErrorCode.None;
    }

    public static WireErrorCode TryRead(in ReadOnlySequence<byte> payload, out WelcomeMessage? message)
    {
        message = null;
        var reader = new PayloadReader(payload);
        if (!TryReadIdentity(ref reader, out var version, out var chainId, out var publicKey, out var nonce)
            || !reader.TryReadBytes(1, WireLimits.MaxSignatureBytes, out var signature)
            || !reader.TryEnd())
        {
            return reader.Error;
        }

        message = new WelcomeMessage(version, chainId, publicKey, nonce, signature);
        return WireErrorCode.None;
    }

    public static WireErrorCode TryRead(in ReadOnlySequence<byte> payload, out AuthenticateMessage? message)
    {
        message = null;
        var reader = new PayloadReader(payload);
        if (!reader.TryBegin(1)
            || !reader.TryReadBytes(1, WireLimits.MaxSignatureBytes, out var signature)
            || !reader.TryEnd())
        {
            return reader.Error;
        }

        message = new AuthenticateMessage(signature);
        return WireErrorCode.None;
    }

    public static WireErrorCode TryRead(in ReadOnlySequence<byte> payload, out ReadyMessage? message)
    {
        message = null;
        var reader = new PayloadReader(payload);
        if (!reader.TryBegin(3)
            || !reader.TryReadInt(out var maxPayload)
            || !reader.TryReadInt(out var maxInFlight)
            || !reader.TryReadInt(out var idleTimeout)
            || !reader.TryEnd())
        {
            return reader.Error;
        }

        message = new ReadyMessage(maxPayload, maxInFlight, idleTimeout);
        return WireErrorCode.None;
    }

    // Hello and Welcome are both a 5-element array that opens with the same four identity fields.
    private static void WriteIdentity(ref MessagePackWriter writer, byte version, ReadOnlyMemory<byte> chainId, ReadOnlyMemory<byte> publicKey, ReadOnlyMemory<byte> nonce)
    {
        writer.WriteArrayHeader(5);
        writer.Write(version);
        writer.Write(chainId.Span);
        writer.Write(publicKey.Span);
        writer.Write(nonce.Span);
    }

    private static bool TryReadIdentity(ref PayloadReader reader, out byte version, out byte[] chainId, out byte[] publicKey, out byte[] nonce)
    {
        chainId = publicKey = nonce = [];
        version = 0;
        return reader.TryBegin(5)
            && reader.TryReadByte(out version)
            && reader.TryReadBytes(WireLimits.NonceBytes, WireLimits.NonceBytes, out chainId)
            && reader.TryReadBytes(1, WireLimits.MaxPublicKeyBytes, out publicKey)
            && reader.TryReadBytes(WireLimits.NonceBytes, WireLimits.NonceBytes, out nonce);
    }
}
