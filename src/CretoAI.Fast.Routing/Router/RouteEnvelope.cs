using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Wire.Routing;

namespace CretoAI.Fast.Routing.Router;

/// <summary>
/// Builds and checks the signed bytes of a routed message (<see cref="RouteSendLayout"/>). The
/// signature covers the sender's agent id followed by the send up to its signature, so a Deliver
/// payload (sender id ‖ send) carries exactly the signed bytes followed by the signature.
/// </summary>
public static class RouteEnvelope
{
    /// <summary>A signed send from <paramref name="sender"/> (the agent's key).</summary>
    public static byte[] BuildSend(IMessageSigner sender, Hash32 chainId, ulong messageId, byte kind, Hash32 target, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var deliver = new byte[RouteSendLayout.SenderLength + RouteSendLayout.EncodedLength(payload.Length)];
        sender.NodeId.CopyTo(deliver);
        var unsigned = RouteSendLayout.WriteUnsigned(deliver.AsSpan(RouteSendLayout.SenderLength), chainId, messageId, kind, target, payload);
        var signed = RouteSendLayout.SenderLength + unsigned;
        sender.Sign(deliver.AsSpan(0, signed), RouteSendLayout.SignatureContext, deliver.AsSpan(signed));
        return deliver[RouteSendLayout.SenderLength..];
    }

    /// <summary>The Deliver payload of a send from <paramref name="sender"/>: sender id ‖ send.</summary>
    public static byte[] ToDeliver(Hash32 sender, ReadOnlySpan<byte> send)
    {
        var deliver = new byte[RouteSendLayout.SenderLength + send.Length];
        sender.CopyTo(deliver);
        send.CopyTo(deliver.AsSpan(RouteSendLayout.SenderLength));
        return deliver;
    }

    /// <summary>The part of a Deliver payload the signature covers, given the parsed send header.</summary>
    public static ReadOnlyMemory<byte> SignedPart(ReadOnlyMemory<byte> deliver, in RouteSendHeader header) =>
        deliver[..(RouteSendLayout.SenderLength + header.SignatureOffset)];

    /// <summary>The signature in a Deliver payload.</summary>
    public static ReadOnlyMemory<byte> Signature(ReadOnlyMemory<byte> deliver, in RouteSendHeader header) =>
        deliver[(RouteSendLayout.SenderLength + header.SignatureOffset)..];

    /// <summary>Verifies a Deliver payload's signature under the sender's public key (for recipients that check end to end).</summary>
    public static bool Verify(ReadOnlySpan<byte> senderPublicKey, ReadOnlyMemory<byte> deliver, in RouteSendHeader header) =>
        MLDsa87.Verify(senderPublicKey, SignedPart(deliver, header).Span, RouteSendLayout.SignatureContext, Signature(deliver, header).Span);
}
