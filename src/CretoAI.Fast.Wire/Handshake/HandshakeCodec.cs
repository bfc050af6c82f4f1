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
        writer.WriteArrayHeader(5);
        writer.Write(message.ProtocolVersion);
        writer.Write(message.ChainId.Span);
        writer.Write(message.PublicKey.Span);
        writer.Write(message.Nonce.Span);
        writer.Write((byte)message.Role);
        writer.Flush();
    }

    public static void Write(IBufferWriter<byte> output, WelcomeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var writer = new MessagePackWriter(output);
        writer.WriteArrayHeader(5);
        writer.Write(message.ProtocolVersion);
        writer.Write(message.ChainId.Span);
        writer.Write(message.PublicKey.Span);
        writer.Write(message.Nonce.Span);
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
        if (!reader.TryBegin(5)
            || !reader.TryReadByte(out var version)
            || !reader.TryReadBytes(WireLimits.NonceBytes, WireLimits.NonceBytes, out var chainId)
            || !reader.TryReadBytes(1, WireLimits.MaxPublicKeyBytes, out var publicKey)
            || !reader.TryReadBytes(WireLimits.NonceBytes, WireLimits.NonceBytes, out var nonce)
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
        if (!reader.TryBegin(5)
            || !reader.TryReadByte(out var version)
            || !reader.TryReadBytes(WireLimits.NonceBytes, WireLimits.NonceBytes, out var chainId)
            || !reader.TryReadBytes(1, WireLimits.MaxPublicKeyBytes, out var publicKey)
            || !reader.TryReadBytes(WireLimits.NonceBytes, WireLimits.NonceBytes, out var nonce)
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
}
