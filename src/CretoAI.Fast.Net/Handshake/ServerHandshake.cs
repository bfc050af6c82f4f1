using System.IO.Pipelines;
using System.Security.Cryptography;
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

        var (header, payload) = await HandshakeFrames.ReadAsync(input, decoder, cancellationToken).ConfigureAwait(false);
        if (header.Type == MessageType.Error)
        {
            throw HandshakeFrames.FromErrorFrame(payload);
        }

        if (header.Type != MessageType.Hello)
        {
            throw new WireException(WireErrorCode.HandshakeRequired, $"expected Hello, got message type {(ushort)header.Type}");
        }

        var parse = HandshakeCodec.TryRead(payload, out HelloMessage? hello);
        if (parse != WireErrorCode.None)
        {
            throw new WireException(parse, "malformed Hello");
        }

        if (hello!.ProtocolVersion != FrameHeader.CurrentVersion)
        {
            throw new WireException(WireErrorCode.ProtocolVersionMismatch, $"client speaks protocol {hello.ProtocolVersion}, this server speaks {FrameHeader.CurrentVersion}");
        }

        if (!hello.ChainId.Span.SequenceEqual(options.ChainId.ToArray()))
        {
            throw new WireException(WireErrorCode.ChainIdMismatch, $"client is on chain {Convert.ToHexStringLower(hello.ChainId.Span)}, this server on {options.ChainId}");
        }

        if (hello.PublicKey.Length != MLDsa87Sizes.PublicKey)
        {
            throw new WireException(WireErrorCode.BadPublicKey, $"client public key is {hello.PublicKey.Length} bytes, ML-DSA-87 needs {MLDsa87Sizes.PublicKey}");
        }

        var serverNonce = RandomNumberGenerator.GetBytes(WireLimits.NonceBytes);
        var clientKeyHash = Sha3.Hash256(hello.PublicKey.Span);
        var transcript = new byte[HandshakeTranscript.Length];
        HandshakeTranscript.Write(
            transcript,
            FrameHeader.CurrentVersion,
            hello.Role,
            hello.ChainId.Span,
            hello.Nonce.Span,
            serverNonce,
            clientKeyHash.ToArray(),
            signer.NodeId.ToArray());

        var signature = await HandshakeFrames.SignAsync(signer, transcript, asServer: true).ConfigureAwait(false);
        var welcome = new WelcomeMessage(FrameHeader.CurrentVersion, hello.ChainId, signer.PublicKey, serverNonce, signature);
        await HandshakeFrames.WriteAsync(output, MessageType.Welcome, w => HandshakeCodec.Write(w, welcome), cancellationToken).ConfigureAwait(false);

        (header, payload) = await HandshakeFrames.ReadAsync(input, decoder, cancellationToken).ConfigureAwait(false);
        if (header.Type == MessageType.Error)
        {
            throw HandshakeFrames.FromErrorFrame(payload);
        }

        if (header.Type != MessageType.Authenticate)
        {
            throw new WireException(WireErrorCode.HandshakeRequired, $"expected Authenticate, got message type {(ushort)header.Type}");
        }

        parse = HandshakeCodec.TryRead(payload, out AuthenticateMessage? authenticate);
        if (parse != WireErrorCode.None)
        {
            throw new WireException(parse, "malformed Authenticate");
        }

        if (!await HandshakeFrames.VerifyAsync(verifier, hello.PublicKey, transcript, authenticate!.Signature, signedByServer: false).ConfigureAwait(false))
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
