using System.IO.Pipelines;
using System.Security.Cryptography;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Handshake;

namespace CretoAI.Fast.Net.Handshake;

/// <summary>The client's half of the handshake; mirror of <see cref="ServerHandshake"/>.</summary>
internal static class ClientHandshake
{
    public static async ValueTask<(PeerInfo Server, ReadyMessage Limits)> RunAsync(
        PipeReader input,
        PipeWriter output,
        ClientOptions options,
        IMessageSigner signer,
        ISignatureVerifier verifier,
        CancellationToken cancellationToken)
    {
        var decoder = new FrameDecoder(Math.Min(options.MaxPayloadLength, WireLimits.MaxHandshakePayloadLength));
        var chainId = options.ChainId.ToArray();
        var clientNonce = RandomNumberGenerator.GetBytes(WireLimits.NonceBytes);
        var hello = new HelloMessage(FrameHeader.CurrentVersion, chainId, signer.PublicKey, clientNonce, options.Role);
        await HandshakeFrames.WriteAsync(output, MessageType.Hello, w => HandshakeCodec.Write(w, hello), cancellationToken).ConfigureAwait(false);

        var (header, payload) = await HandshakeFrames.ReadAsync(input, decoder, cancellationToken).ConfigureAwait(false);
        if (header.Type == MessageType.Error)
        {
            throw HandshakeFrames.FromErrorFrame(payload);
        }

        if (header.Type != MessageType.Welcome)
        {
            throw new WireException(WireErrorCode.UnexpectedMessage, $"expected Welcome, got message type {(ushort)header.Type}");
        }

        var parse = HandshakeCodec.TryRead(payload, out WelcomeMessage? welcome);
        if (parse != WireErrorCode.None)
        {
            throw new WireException(parse, "malformed Welcome");
        }

        if (welcome!.ProtocolVersion != FrameHeader.CurrentVersion)
        {
            throw new WireException(WireErrorCode.ProtocolVersionMismatch, $"server speaks protocol {welcome.ProtocolVersion}");
        }

        if (!welcome.ChainId.Span.SequenceEqual(chainId))
        {
            throw new WireException(WireErrorCode.ChainIdMismatch, $"server is on chain {Convert.ToHexStringLower(welcome.ChainId.Span)}, expected {options.ChainId}");
        }

        if (welcome.PublicKey.Length != MLDsa87Sizes.PublicKey)
        {
            throw new WireException(WireErrorCode.BadPublicKey, $"server public key is {welcome.PublicKey.Length} bytes");
        }

        var serverId = Sha3.Hash256(welcome.PublicKey.Span);
        if (options.ExpectedServerId is { } expected && expected != serverId)
        {
            throw new WireException(WireErrorCode.PeerNotAuthorized, $"server identity is {serverId.ToShortString()}, expected {expected.ToShortString()}");
        }

        var transcript = new byte[HandshakeTranscript.Length];
        HandshakeTranscript.Write(
            transcript,
            FrameHeader.CurrentVersion,
            options.Role,
            chainId,
            clientNonce,
            welcome.Nonce.Span,
            signer.NodeId.ToArray(),
            serverId.ToArray());

        if (!await HandshakeFrames.VerifyAsync(verifier, welcome.PublicKey, transcript, welcome.Signature, signedByServer: true).ConfigureAwait(false))
        {
            throw new WireException(WireErrorCode.BadSignature, $"server {serverId.ToShortString()} signature over the transcript does not verify");
        }

        var signature = await HandshakeFrames.SignAsync(signer, transcript, asServer: false).ConfigureAwait(false);
        var authenticate = new AuthenticateMessage(signature);
        await HandshakeFrames.WriteAsync(output, MessageType.Authenticate, w => HandshakeCodec.Write(w, authenticate), cancellationToken).ConfigureAwait(false);

        (header, payload) = await HandshakeFrames.ReadAsync(input, decoder, cancellationToken).ConfigureAwait(false);
        if (header.Type == MessageType.Error)
        {
            throw HandshakeFrames.FromErrorFrame(payload);
        }

        if (header.Type != MessageType.Ready)
        {
            throw new WireException(WireErrorCode.UnexpectedMessage, $"expected Ready, got message type {(ushort)header.Type}");
        }

        parse = HandshakeCodec.TryRead(payload, out ReadyMessage? ready);
        if (parse != WireErrorCode.None)
        {
            throw new WireException(parse, "malformed Ready");
        }

        return (new PeerInfo(serverId, Wire.Handshake.PeerRole.Validator, welcome.PublicKey), ready!);
    }
}
