using System.Buffers.Binary;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Wire.Routing;

/// <summary>
/// The payload of <see cref="MessageType.RouteSend"/> (0x0305), one signed message from an agent
/// (docs/protocol.md §12.4), little-endian:
/// <code>
///   0  32 B  chain id
///  32  u64   message id, chosen by the sender, never 0 (a retry reuses it)
///  40  u8    target kind: 0 agent, 1 capability tag
///  41  32 B  recipient agent id, or the tag as ASCII zero-padded to 32 bytes
///  73  u32   payload length P (at most the node's limit, announced in docs)
///  77  P     payload, opaque
///  77+P 4,627 B  ML-DSA-87 signature, context "cretoai-fast/route/v1", over sender id ‖ bytes [0, 77 + P)
/// </code>
/// The same bytes, prefixed with the sender's agent id, are what the recipient receives
/// (<see cref="MessageType.RouteDeliver"/>), so it can check the signature itself.
/// </summary>
public static class RouteSendLayout
{
    public const int HeaderLength = 77;

    public const int SignatureLength = 4627;

    /// <summary>Bytes of the sender id that prefixes a send in a Deliver or Forward payload.</summary>
    public const int SenderLength = Hash32.Size;

    public const byte KindAgent = 0;

    public const byte KindTag = 1;

    /// <summary>ML-DSA context of routed-message signatures.</summary>
    public static ReadOnlySpan<byte> SignatureContext => "cretoai-fast/route/v1"u8;

    /// <summary>Length of a send with a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static int EncodedLength(int payloadLength) => HeaderLength + payloadLength + SignatureLength;

    /// <summary>Writes everything but the signature; returns the number of bytes written (the signed part after the sender id).</summary>
    public static int WriteUnsigned(Span<byte> destination, Hash32 chainId, ulong messageId, byte kind, Hash32 target, ReadOnlySpan<byte> payload)
    {
        chainId.CopyTo(destination);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[32..], messageId);
        destination[40] = kind;
        target.CopyTo(destination[41..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[73..], (uint)payload.Length);
        payload.CopyTo(destination[HeaderLength..]);
        return HeaderLength + payload.Length;
    }

    /// <summary>Reads and checks the layout of a send (lengths, kind, a non-zero id); the payload size limit is the caller's.</summary>
    public static bool TryRead(ReadOnlySpan<byte> send, out RouteSendHeader header, out WireErrorCode error)
    {
        header = default;
        if (send.Length < HeaderLength + SignatureLength)
        {
            error = WireErrorCode.PayloadTooShort;
            return false;
        }

        var payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(send[73..]);
        var expected = (long)HeaderLength + payloadLength + SignatureLength;
        if (send.Length != expected)
        {
            error = send.Length < expected ? WireErrorCode.PayloadTooShort : WireErrorCode.TrailingBytes;
            return false;
        }

        var id = BinaryPrimitives.ReadUInt64LittleEndian(send[32..]);
        var kind = send[40];
        if (id == 0 || kind > KindTag)
        {
            error = WireErrorCode.MalformedPayload;
            return false;
        }

        header = new RouteSendHeader(new Hash32(send[..32]), id, kind, new Hash32(send.Slice(41, 32)), (int)payloadLength);
        error = WireErrorCode.None;
        return true;
    }
}
