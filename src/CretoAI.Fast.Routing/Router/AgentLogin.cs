using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Routing.Router;

/// <summary>
/// The agent login challenge (docs/routing.md, "Login"): the node hands the connection a fresh
/// 32-byte nonce; the agent answers with its registered ML-DSA-87 public key and a signature, with
/// context <see cref="Context"/>, over the 154-byte transcript
/// <c>"CRETOAI-FAST/AGENT-LOGIN/1" ‖ chain id ‖ node id ‖ nonce ‖ agent id</c>. The node id and chain
/// id stop a login being replayed to another node or chain; the nonce is single-use and expires.
/// </summary>
public static class AgentLogin
{
    public const int NonceSize = 32;

    public const int TranscriptSize = 26 + (4 * Hash32.Size);

    private static ReadOnlySpan<byte> Label => "CRETOAI-FAST/AGENT-LOGIN/1"u8;

    /// <summary>ML-DSA context string of login signatures.</summary>
    public static ReadOnlySpan<byte> Context => "cretoai-fast/agent-login"u8;

    /// <summary>A fresh nonce from the system's secure random generator.</summary>
    public static Hash32 NewNonce()
    {
        Span<byte> nonce = stackalloc byte[NonceSize];
        RandomBytes.Fill(nonce);
        return new Hash32(nonce);
    }

    /// <summary>Writes the transcript into <paramref name="destination"/> (at least <see cref="TranscriptSize"/> bytes).</summary>
    public static void WriteTranscript(Span<byte> destination, Hash32 chainId, Hash32 nodeId, Hash32 nonce, Hash32 agentId)
    {
        Label.CopyTo(destination);
        chainId.CopyTo(destination[26..]);
        nodeId.CopyTo(destination[58..]);
        nonce.CopyTo(destination[90..]);
        agentId.CopyTo(destination[122..]);
    }

    /// <summary>Signs a login answer for <paramref name="signer"/> (the agent's key).</summary>
    public static byte[] Sign(IMessageSigner signer, Hash32 chainId, Hash32 nodeId, Hash32 nonce)
    {
        ArgumentNullException.ThrowIfNull(signer);
        Span<byte> transcript = stackalloc byte[TranscriptSize];
        WriteTranscript(transcript, chainId, nodeId, nonce, signer.NodeId);
        var signature = new byte[MLDsa87Sizes.Signature];
        signer.Sign(transcript, Context, signature);
        return signature;
    }

    /// <summary>
    /// Checks a login answer: the key's length, and the signature over the transcript of the agent the
    /// key names (its SHA3-256). Returns the agent id, or null with the reason.
    /// </summary>
    public static Hash32? Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> signature, Hash32 chainId, Hash32 nodeId, Hash32 nonce, out string? reason)
    {
        if (publicKey.Length != MLDsa87Sizes.PublicKey)
        {
            reason = $"an agent key is {MLDsa87Sizes.PublicKey} bytes, got {publicKey.Length}";
            return null;
        }

        var agentId = Sha3.Hash256(publicKey);
        Span<byte> transcript = stackalloc byte[TranscriptSize];
        WriteTranscript(transcript, chainId, nodeId, nonce, agentId);
        if (signature.Length != MLDsa87Sizes.Signature || !MLDsa87.Verify(publicKey, transcript, Context, signature))
        {
            reason = "the login signature does not verify over this connection's challenge";
            return null;
        }

        reason = null;
        return agentId;
    }

    /// <summary>Human text for a refused login (logs, the LoginResult detail).</summary>
    public static string Describe(AgentLoginStatus status) => status switch
    {
        AgentLoginStatus.Ok => "logged in",
        AgentLoginStatus.NoChallenge => "no open challenge on this connection (ask for one first; it is single-use and expires)",
        AgentLoginStatus.BadSignature => "the login signature does not verify",
        AgentLoginStatus.NotRegistered => "no agent is registered with this key",
        AgentLoginStatus.Suspended => "the agent is suspended",
        AgentLoginStatus.Revoked => "the agent is revoked",
        AgentLoginStatus.BadPublicKey => "the public key is not an ML-DSA-87 key",
        AgentLoginStatus.TooManyAgents => "the node is at its limit of logged-in agents",
        AgentLoginStatus.AlreadyLoggedIn => "this connection already has a logged-in agent",
        _ => "unknown login status",
    };
}
