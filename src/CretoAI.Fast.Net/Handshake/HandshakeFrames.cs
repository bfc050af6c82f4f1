using System.Buffers;
using System.IO.Pipelines;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Handshake;

namespace CretoAI.Fast.Net.Handshake;

/// <summary>
/// Reading and writing single frames during the handshake. The handshake is cold (once per
/// connection), so payloads are copied out of the pipe into arrays here; the session loop that
/// follows never does this.
/// </summary>
internal static class HandshakeFrames
{
    public static async ValueTask<(FrameHeader Header, ReadOnlySequence<byte> Payload)> ReadAsync(PipeReader input, FrameDecoder decoder, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var status = decoder.TryDecode(ref buffer, out var frame, out var error);
            switch (status)
            {
                case DecodeStatus.Frame:
                    var copy = new ReadOnlySequence<byte>(frame.Payload.ToArray());
                    input.AdvanceTo(buffer.Start);
                    return (frame.Header, copy);
                case DecodeStatus.Error:
                    input.AdvanceTo(result.Buffer.Start);
                    throw new WireException(error, "malformed frame during the handshake");
                default:
                    if (result.IsCompleted)
                    {
                        var code = FrameDecoder.CheckEndOfStream(result.Buffer);
                        input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                        throw new WireException(code == WireErrorCode.None ? WireErrorCode.HandshakeRequired : code, "connection closed during the handshake");
                    }

                    input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                    break;
            }
        }
    }

    /// <summary>
    /// Reads the next handshake frame, which must be of type <paramref name="expected"/>: an Error
    /// frame from the peer becomes its exception, any other type <paramref name="wrongType"/>.
    /// </summary>
    public static async ValueTask<ReadOnlySequence<byte>> ReadExpectedAsync(PipeReader input, FrameDecoder decoder, MessageType expected, WireErrorCode wrongType, CancellationToken cancellationToken)
    {
        var (header, payload) = await ReadAsync(input, decoder, cancellationToken).ConfigureAwait(false);
        if (header.Type == MessageType.Error)
        {
            throw FromErrorFrame(payload);
        }

        if (header.Type != expected)
        {
            throw new WireException(wrongType, $"expected {expected}, got message type {(ushort)header.Type}");
        }

        return payload;
    }

    /// <summary>The decoded message, or the codec's error code as an exception.</summary>
    public static T Decoded<T>(WireErrorCode status, T? message, MessageType type)
        where T : class =>
        status == WireErrorCode.None && message is not null ? message : throw new WireException(status, $"malformed {type}");

    /// <summary>The checks both sides make on the other's Hello or Welcome: version, chain, key length.</summary>
    public static void CheckPeerFields(string peer, byte version, ReadOnlyMemory<byte> chainId, Hash32 ourChain, ReadOnlyMemory<byte> publicKey)
    {
        CheckVersion(peer, version);
        if (chainId.Length != Hash32.Size || new Hash32(chainId.Span) != ourChain)
        {
            throw new WireException(WireErrorCode.ChainIdMismatch, $"{peer} is on chain {Convert.ToHexStringLower(chainId.Span)}, we are on {ourChain}");
        }

        CheckPublicKey(peer, publicKey);
    }

    /// <summary>
    /// The checks on a Hello or Welcome whose chain id is not compared with ours: a client that asks
    /// for any chain (all-zero chain id, docs/protocol.md §6.2), or the Welcome it then receives,
    /// which must name a real chain (32 bytes, not all zero).
    /// </summary>
    public static Hash32 CheckPeerFieldsAnyChain(string peer, byte version, ReadOnlyMemory<byte> chainId, ReadOnlyMemory<byte> publicKey)
    {
        CheckVersion(peer, version);
        if (chainId.Length != Hash32.Size)
        {
            throw new WireException(WireErrorCode.ChainIdMismatch, $"{peer} sent a {chainId.Length}-byte chain id");
        }

        CheckPublicKey(peer, publicKey);
        return new Hash32(chainId.Span);
    }

    /// <summary>True for the all-zero chain id a client sends to be told the server's chain.</summary>
    public static bool IsAnyChain(ReadOnlyMemory<byte> chainId) => chainId.Length == Hash32.Size && new Hash32(chainId.Span).IsZero;

    private static void CheckVersion(string peer, byte version)
    {
        if (version != FrameHeader.CurrentVersion)
        {
            throw new WireException(WireErrorCode.ProtocolVersionMismatch, $"{peer} speaks protocol {version}, we speak {FrameHeader.CurrentVersion}");
        }
    }

    private static void CheckPublicKey(string peer, ReadOnlyMemory<byte> publicKey)
    {
        if (publicKey.Length != MLDsa87Sizes.PublicKey)
        {
            throw new WireException(WireErrorCode.BadPublicKey, $"{peer} public key is {publicKey.Length} bytes, ML-DSA-87 needs {MLDsa87Sizes.PublicKey}");
        }
    }

    /// <summary>Turns an Error frame from the peer into an exception carrying the peer's code and text.</summary>
    public static WireException FromErrorFrame(in ReadOnlySequence<byte> payload)
    {
        var status = ErrorPayload.TryRead(payload, out var code, out var message);
        return status == WireErrorCode.None
            ? new WireException(code, $"peer refused: {message}", reportedByPeer: true)
            : new WireException(status, "peer sent a malformed error frame");
    }

    public static async ValueTask WriteAsync(PipeWriter output, MessageType type, Action<IBufferWriter<byte>> writePayload, CancellationToken cancellationToken)
    {
        var payload = new ArrayBufferWriter<byte>(8 * 1024);
        writePayload(payload);
        FrameEncoder.Write(output, type, FrameFlags.None, 0, payload.WrittenSpan);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Signs the transcript on the thread pool: socket continuations may run inline on the epoll
    /// thread, which must never spend milliseconds on ML-DSA while other connections wait.
    /// </summary>
    public static Task<byte[]> SignAsync(IMessageSigner signer, byte[] transcript, bool asServer) => Task.Run(() =>
    {
        var signature = new byte[MLDsa87Sizes.Signature];
        var context = asServer ? HandshakeTranscript.ServerContext : HandshakeTranscript.ClientContext;
        var length = signer.Sign(transcript, context, signature);
        return length == signature.Length ? signature : signature[..length];
    });

    /// <summary>Verifies the peer's transcript signature on the thread pool (see <see cref="SignAsync"/>).</summary>
    public static Task<bool> VerifyAsync(ISignatureVerifier verifier, ReadOnlyMemory<byte> publicKey, byte[] transcript, ReadOnlyMemory<byte> signature, bool signedByServer) => Task.Run(() =>
    {
        var context = signedByServer ? HandshakeTranscript.ServerContext : HandshakeTranscript.ClientContext;
        return verifier.Verify(publicKey.Span, transcript, context, signature.Span);
    });

    public static async ValueTask WriteErrorAsync(PipeWriter output, uint correlationId, WireErrorCode code, string message)
    {
        try
        {
            FrameEncoder.WriteError(output, correlationId, code, message);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await output.FlushAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The peer is not reading; it will see the connection close instead.
        }
        catch (InvalidOperationException)
        {
            // The pipe is already completed.
        }
    }
}
