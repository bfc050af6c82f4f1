using System.IO.Pipelines;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Handshake;

namespace CretoAI.Fast.Net.Handshake;

/// <summary>The client's half of the handshake; mirror of <see cref="ServerHandshake"/>.</summary>
internal static class ClientHandshake
{
    /// <summary>
    /// Runs the handshake. With <see cref="ClientOptions.ChainId"/> all zero (clients only) the
    /// server's chain is accepted and returned; otherwise it must equal the one asked for.
    /// </summary>
    public static async ValueTask<(PeerInfo Server, ReadyMessage Limits, Hash32 ChainId)> RunAsync(
        PipeReader input,
        PipeWriter output,
        ClientOptions options,
        IMessageSigner signer,
        ISignatureVerifier verifier,
        CancellationToken cancellationToken)
    {
        var learnChain = options.ChainId.IsZero;
        if (learnChain && options.Role != PeerRole.Client)
        {
            throw new InvalidOperationException("Only a client may connect without a chain id; a validator must name its chain.");
        }

        var decoder = new FrameDecoder(Math.Min(options.MaxPayloadLength, WireLimits.MaxHandshakePayloadLength));
        var chainId = options.ChainId.ToArray();
        var clientNonce = RandomBytes.Create(WireLimits.NonceBytes);
        var hello = new HelloMessage(FrameHeader.CurrentVersion, chainId, signer.PublicKey, clientNonce, options.Role);
        await HandshakeFrames.WriteAsync(output, MessageType.Hello, w => HandshakeCodec.Write(w, hello), cancellationToken).ConfigureAwait(false);

        var payload = await HandshakeFrames.ReadExpectedAsync(input, decoder, MessageType.Welcome, WireErrorCode.UnexpectedMessage, cancellationToken).ConfigureAwait(false);
        var welcome = HandshakeFrames.Decoded(HandshakeCodec.TryRead(payload, out WelcomeMessage? parsedWelcome), parsedWelcome, MessageType.Welcome);
        var serverChain = options.ChainId;
        if (learnChain)
        {
            serverChain = HandshakeFrames.CheckPeerFieldsAnyChain("server", welcome.ProtocolVersion, welcome.ChainId, welcome.PublicKey);
            if (serverChain.IsZero)
            {
                throw new WireException(WireErrorCode.ChainIdMismatch, "server did not name its chain (all-zero chain id in Welcome)");
            }

            chainId = serverChain.ToArray();
        }
        else
        {
            HandshakeFrames.CheckPeerFields("server", welcome.ProtocolVersion, welcome.ChainId, options.ChainId, welcome.PublicKey);
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

        payload = await HandshakeFrames.ReadExpectedAsync(input, decoder, MessageType.Ready, WireErrorCode.UnexpectedMessage, cancellationToken).ConfigureAwait(false);
        var ready = HandshakeFrames.Decoded(HandshakeCodec.TryRead(payload, out ReadyMessage? parsedReady), parsedReady, MessageType.Ready);

        return (new PeerInfo(serverId, PeerRole.Validator, welcome.PublicKey), ready, serverChain);
    }
}
