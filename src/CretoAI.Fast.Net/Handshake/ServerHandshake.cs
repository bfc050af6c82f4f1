using System.IO.Pipelines;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Handshake;

namespace CretoAI.Fast.Net.Handshake;

/// <summary>
/// The server's half of the handshake (docs/protocol.md, "Handshake"): check Hello, prove our
/// identity in Welcome, check the client's proof in Authenticate, admit it with Ready. Every check
/// that fails throws a <see cref="WireException"/> with the code the client is told.
/// </summary>
internal static class ServerHandshake
{
    public static async ValueTask<PeerInfo> RunAsync(
        PipeReader input,
        PipeWriter output,
        TransportOptions options,
        IMessageSigner signer,
        ISignatureVerifier verifier,
        IPeerAuthorizer authorizer,
        CancellationToken cancellationToken)
    {
        var decoder = new FrameDecoder(Math.Min(options.MaxPayloadLength, WireLimits.MaxHandshakePayloadLength));

        var payload = await HandshakeFrames.ReadExpectedAsync(input, decoder, MessageType.Hello, WireErrorCode.HandshakeRequired, cancellationToken).ConfigureAwait(false);
        var hello = HandshakeFrames.Decoded(HandshakeCodec.TryRead(payload, out HelloMessage? parsedHello), parsedHello, MessageType.Hello);

        // A client (never a validator) may send the all-zero chain id to be told ours: it then signs
        // a transcript that names our chain, exactly as a client that knew it would. Validator links
        // always compare.
        if (hello.Role == PeerRole.Client && HandshakeFrames.IsAnyChain(hello.ChainId))
        {
            HandshakeFrames.CheckPeerFieldsAnyChain("client", hello.ProtocolVersion, hello.ChainId, hello.PublicKey);
        }
        else
        {
            HandshakeFrames.CheckPeerFields("client", hello.ProtocolVersion, hello.ChainId, options.ChainId, hello.PublicKey);
        }

        var chainId = options.ChainId.ToArray();

        var serverNonce = RandomBytes.Create(WireLimits.NonceBytes);
        var clientKeyHash = Sha3.Hash256(hello.PublicKey.Span);
        var transcript = new byte[HandshakeTranscript.Length];
        HandshakeTranscript.Write(
            transcript,
            FrameHeader.CurrentVersion,
            hello.Role,
            chainId,
            hello.Nonce.Span,
            serverNonce,
            clientKeyHash.ToArray(),
            signer.NodeId.ToArray());

        var signature = await HandshakeFrames.SignAsync(signer, transcript, asServer: true).ConfigureAwait(false);
        var welcome = new WelcomeMessage(FrameHeader.CurrentVersion, chainId, signer.PublicKey, serverNonce, signature);
        await HandshakeFrames.WriteAsync(output, MessageType.Welcome, w => HandshakeCodec.Write(w, welcome), cancellationToken).ConfigureAwait(false);

        payload = await HandshakeFrames.ReadExpectedAsync(input, decoder, MessageType.Authenticate, WireErrorCode.HandshakeRequired, cancellationToken).ConfigureAwait(false);
        var authenticate = HandshakeFrames.Decoded(HandshakeCodec.TryRead(payload, out AuthenticateMessage? parsedAuthenticate), parsedAuthenticate, MessageType.Authenticate);

        if (!await HandshakeFrames.VerifyAsync(verifier, hello.PublicKey, transcript, authenticate.Signature, signedByServer: false).ConfigureAwait(false))
        {
            throw new WireException(WireErrorCode.BadSignature, $"client {clientKeyHash.ToShortString()} signature over the transcript does not verify");
        }

        if (!authorizer.IsAuthorized(clientKeyHash, hello.Role))
        {
            throw new WireException(WireErrorCode.PeerNotAuthorized, $"{hello.Role} {clientKeyHash.ToShortString()} is not allowed here");
        }

        var ready = new ReadyMessage(options.MaxPayloadLength, options.MaxInFlightPerConnection, (int)options.IdleTimeout.TotalMilliseconds);
        await HandshakeFrames.WriteAsync(output, MessageType.Ready, w => HandshakeCodec.Write(w, ready), cancellationToken).ConfigureAwait(false);
        return new PeerInfo(clientKeyHash, hello.Role, hello.PublicKey);
    }
}
