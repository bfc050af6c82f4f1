using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Routing.Router;

namespace CretoAI.Fast.Routing.Tests.Router;

public sealed class AgentLoginTests : IDisposable
{
    private static readonly Hash32 Chain = Sha3.Hash256("chain"u8);
    private static readonly Hash32 Node = Sha3.Hash256("node"u8);
    private readonly KeyPair _agent = KeyPair.FromSeed(Enumerable.Repeat((byte)7, 32).ToArray());

    public void Dispose() => _agent.Dispose();

    [Fact]
    public void A_signature_over_this_challenge_proves_the_agent_id()
    {
        var nonce = AgentLogin.NewNonce();
        var signature = AgentLogin.Sign(_agent, Chain, Node, nonce);
        var id = AgentLogin.Verify(_agent.PublicKey.Span, signature, Chain, Node, nonce, out var reason);
        Assert.Null(reason);
        Assert.Equal(_agent.NodeId, id);
        Assert.Equal(Sha3.Hash256(_agent.PublicKey.Span), id);
    }

    [Fact]
    public void A_signature_is_refused_for_another_nonce_node_or_chain()
    {
        var nonce = AgentLogin.NewNonce();
        var signature = AgentLogin.Sign(_agent, Chain, Node, nonce);
        Assert.Null(AgentLogin.Verify(_agent.PublicKey.Span, signature, Chain, Node, AgentLogin.NewNonce(), out var reason));
        Assert.Contains("does not verify", reason, StringComparison.Ordinal);
        Assert.Null(AgentLogin.Verify(_agent.PublicKey.Span, signature, Chain, Sha3.Hash256("other"u8), nonce, out _));
        Assert.Null(AgentLogin.Verify(_agent.PublicKey.Span, signature, Sha3.Hash256("other"u8), Node, nonce, out _));
    }

    [Fact]
    public void Another_key_or_a_bad_length_is_refused()
    {
        using var other = KeyPair.FromSeed(Enumerable.Repeat((byte)8, 32).ToArray());
        var nonce = AgentLogin.NewNonce();
        var signature = AgentLogin.Sign(_agent, Chain, Node, nonce);
        Assert.Null(AgentLogin.Verify(other.PublicKey.Span, signature, Chain, Node, nonce, out _));
        Assert.Null(AgentLogin.Verify(_agent.PublicKey.Span[..100], signature, Chain, Node, nonce, out var reason));
        Assert.Contains("2592", reason, StringComparison.Ordinal);
        Assert.Null(AgentLogin.Verify(_agent.PublicKey.Span, signature.AsSpan(1), Chain, Node, nonce, out _));
    }

    [Fact]
    public void Nonces_are_fresh() => Assert.NotEqual(AgentLogin.NewNonce(), AgentLogin.NewNonce());
}
