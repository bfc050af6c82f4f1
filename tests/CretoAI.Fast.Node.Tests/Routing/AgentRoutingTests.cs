using System.Text;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Net;
using CretoAI.Fast.Net.Client;
using CretoAI.Fast.Node.Tests.Infrastructure;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Routing.Router;
using CretoAI.Fast.Routing.Tests.Router;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Handshake;
using CretoAI.Fast.Wire.Routing;

namespace CretoAI.Fast.Node.Tests.Routing;

/// <summary>The agent router through real sockets on one node: login, delivery, every refusal, backpressure.</summary>
public sealed class AgentRoutingTests : IAsyncLifetime
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    private readonly FakeDirectory _directory = new();
    private readonly List<IAsyncDisposable> _owned = [];
    private RouterHost _host = null!;

    private RouterSettings Settings { get; } = new() { MaxPayloadBytes = 4096, MailboxMaxBytes = 64 * 1024 };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
    }

    private void Start() => _host = Own(RouterHost.Start(_directory, Settings));

    private T Own<T>(T value)
        where T : IAsyncDisposable
    {
        _owned.Add(value);
        return value;
    }

    private async Task<(KeyPair Key, AgentClient Client)> AgentAsync(AgentClientOptions? options = null, AgentStatus status = AgentStatus.Active, uint reputation = 500_000, params string[] tags)
    {
        var key = RouterHost.NewAgent();
        _directory.Set(key.NodeId, status, reputation, tags);
        var client = Own(await AgentClient.ConnectAsync(_host.EndPoint, key, options).WaitAsync(Guard));
        return (key, client);
    }

    [Fact]
    public async Task A_message_reaches_the_recipient_and_the_sender_learns_it_was_acknowledged()
    {
        Start();
        var (aliceKey, alice) = await AgentAsync();
        var (bobKey, bob) = await AgentAsync();
        Assert.Equal(2, _host.Router.ConnectedAgents);

        var result = await alice.SendAsync(bobKey.NodeId, "hello bob"u8.ToArray()).WaitAsync(Guard);
        Assert.Equal((byte)RouteStatus.Delivered, result.Status);
        var message = await bob.Messages.ReadAsync().AsTask().WaitAsync(Guard);
        Assert.Equal(alice.AgentId, message.Sender);
        Assert.Equal(result.MessageId, message.MessageId);
        Assert.Equal("hello bob", Encoding.UTF8.GetString(message.Payload.Span));

        // The recipient can check the sender's signature itself.
        Assert.True(RouteSendLayout.TryRead(message.Deliver.Span[RouteSendLayout.SenderLength..], out var header, out _));
        Assert.True(RouteEnvelope.Verify(aliceKey.PublicKey.Span, message.Deliver, header));
        Assert.Equal(1, _host.Router.Counters.Delivered);
        Assert.Equal(1, _host.Router.Counters.Answered(RouteStatus.Delivered));
    }

    [Fact]
    public async Task Unknown_suspended_and_revoked_agents_cannot_log_in()
    {
        Start();
        var unknown = RouterHost.NewAgent();
        var refused = await Assert.ThrowsAsync<AgentLoginException>(() => AgentClient.ConnectAsync(_host.EndPoint, unknown).WaitAsync(Guard));
        Assert.Equal(AgentLoginStatus.NotRegistered, refused.Status);

        var suspended = RouterHost.NewAgent();
        _directory.Set(suspended.NodeId, AgentStatus.Suspended);
        refused = await Assert.ThrowsAsync<AgentLoginException>(() => AgentClient.ConnectAsync(_host.EndPoint, suspended).WaitAsync(Guard));
        Assert.Equal(AgentLoginStatus.Suspended, refused.Status);
        Assert.Contains("suspended", refused.Message, StringComparison.Ordinal);

        var revoked = RouterHost.NewAgent();
        _directory.Set(revoked.NodeId, AgentStatus.Revoked);
        refused = await Assert.ThrowsAsync<AgentLoginException>(() => AgentClient.ConnectAsync(_host.EndPoint, revoked).WaitAsync(Guard));
        Assert.Equal(AgentLoginStatus.Revoked, refused.Status);
        Assert.Equal(0, _host.Router.ConnectedAgents);
    }

    [Fact]
    public async Task A_send_without_login_is_refused_NotLoggedIn()
    {
        Start();
        var (bobKey, _) = await AgentAsync();
        using var stranger = RouterHost.NewAgent();
        await using var connection = await FrameClient.ConnectAsync(_host.EndPoint, new ClientOptions { ChainId = RouterHost.Chain, Role = PeerRole.Client }, stranger, Crypto.MLDsa87SignatureVerifier.Instance).WaitAsync(Guard);
        var send = RouteEnvelope.BuildSend(stranger, RouterHost.Chain, 1, RouteSendLayout.KindAgent, bobKey.NodeId, "hi"u8);
        FrameEncoder.Write(connection.Output, MessageType.RouteSend, FrameFlags.None, 9, send);
        await connection.Output.FlushAsync();
        var (type, correlation, payload) = await ReadFrameAsync(connection).WaitAsync(Guard);
        Assert.Equal(MessageType.RouteResult, type);
        Assert.Equal(9u, correlation);
        Assert.True(RouteResultMessage.TryRead(payload, out var result));
        Assert.Equal((byte)RouteStatus.NotLoggedIn, result.Status);
        Assert.Contains("log in", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_login_without_a_challenge_is_refused()
    {
        Start();
        using var key = RouterHost.NewAgent();
        _directory.Set(key.NodeId, AgentStatus.Active);
        await using var connection = await FrameClient.ConnectAsync(_host.EndPoint, new ClientOptions { ChainId = RouterHost.Chain, Role = PeerRole.Client }, key, Crypto.MLDsa87SignatureVerifier.Instance).WaitAsync(Guard);
        var login = new byte[AgentLoginLayout.Length];
        key.PublicKey.Span.CopyTo(login);
        AgentLogin.Sign(key, RouterHost.Chain, _host.Identity.NodeId, AgentLogin.NewNonce()).CopyTo(login, AgentLoginLayout.PublicKeyLength);
        FrameEncoder.Write(connection.Output, MessageType.AgentLogin, FrameFlags.None, 3, login);
        await connection.Output.FlushAsync();
        var (type, _, payload) = await ReadFrameAsync(connection).WaitAsync(Guard);
        Assert.Equal(MessageType.AgentLoginResult, type);
        Assert.True(AgentLoginResultMessage.TryRead(payload, out var result));
        Assert.Equal((byte)AgentLoginStatus.NoChallenge, result.Status);
    }

    [Fact]
    public async Task Oversized_unknown_recipient_and_badly_signed_sends_are_refused_with_their_reason()
    {
        Start();
        var (aliceKey, alice) = await AgentAsync();
        var (bobKey, _) = await AgentAsync();

        var tooLarge = await alice.SendAsync(bobKey.NodeId, new byte[Settings.MaxPayloadBytes + 1]).WaitAsync(Guard);
        Assert.Equal((byte)RouteStatus.TooLarge, tooLarge.Status);
        Assert.Contains("4096", tooLarge.Detail, StringComparison.Ordinal);

        var unknown = await alice.SendAsync(RouterHost.NewAgent().NodeId, "x"u8.ToArray()).WaitAsync(Guard);
        Assert.Equal((byte)RouteStatus.UnknownRecipient, unknown.Status);

        var send = RouteEnvelope.BuildSend(aliceKey, RouterHost.Chain, 77, RouteSendLayout.KindAgent, bobKey.NodeId, "genuine"u8);
        send[RouteSendLayout.HeaderLength] ^= 1; // the payload changed after signing
        var forged = await alice.SendRawAsync(send).WaitAsync(Guard);
        Assert.Equal((byte)RouteStatus.BadSignature, forged.Status);
        Assert.Equal(77ul, forged.MessageId);

        var otherChain = RouteEnvelope.BuildSend(aliceKey, Sha3Chain("elsewhere"), 78, RouteSendLayout.KindAgent, bobKey.NodeId, "x"u8);
        Assert.Equal((byte)RouteStatus.Malformed, (await alice.SendRawAsync(otherChain).WaitAsync(Guard)).Status);
        Assert.Equal(1, _host.Router.Counters.Answered(RouteStatus.BadSignature));
        Assert.Equal(1, _host.Router.Counters.Answered(RouteStatus.TooLarge));
    }

    [Fact]
    public async Task A_sender_revoked_after_login_is_refused()
    {
        Start();
        var (aliceKey, alice) = await AgentAsync();
        var (bobKey, _) = await AgentAsync();
        Assert.Equal((byte)RouteStatus.Delivered, (await alice.SendAsync(bobKey.NodeId, "1"u8.ToArray()).WaitAsync(Guard)).Status);
        _directory.Set(aliceKey.NodeId, AgentStatus.Revoked);
        var refused = await alice.SendAsync(bobKey.NodeId, "2"u8.ToArray()).WaitAsync(Guard);
        Assert.Equal((byte)RouteStatus.SenderRevoked, refused.Status);
        Assert.Contains("revoked", refused.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sends_beyond_the_reputation_budget_are_rate_limited()
    {
        Settings.RateMinPerSecond = 1;
        Settings.RateMaxPerSecond = 2;
        Settings.RateBurstSeconds = 3;
        Settings.FanOutCost = 3;
        Start();
        var (_, alice) = await AgentAsync(reputation: 0); // budget 1/s, burst 3
        var (bobKey, _) = await AgentAsync();
        var statuses = new List<byte>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await alice.SendAsync(bobKey.NodeId, "x"u8.ToArray()).WaitAsync(Guard)).Status);
        }

        Assert.Contains((byte)RouteStatus.RateLimited, statuses);
        Assert.True(statuses.Count(s => s == (byte)RouteStatus.Delivered) >= 3);
        Assert.True(_host.Router.Counters.Answered(RouteStatus.RateLimited) >= 1);
    }

    [Fact]
    public async Task A_slow_receiver_fills_only_its_own_mailbox_and_others_keep_receiving()
    {
        Settings.MailboxMaxMessages = 4;
        Start();
        var (_, alice) = await AgentAsync();
        var (slowKey, slow) = await AgentAsync(new AgentClientOptions { InboxCapacity = 1 });
        var (fastKey, fast) = await AgentAsync();

        // The slow agent never reads its inbox: its client stops reading the socket, its mailbox fills.
        var toSlow = new List<Task<RouteResultMessage>>();
        for (var i = 0; i < 40; i++)
        {
            toSlow.Add(alice.SendAsync(slowKey.NodeId, new byte[2048]));
        }

        await Eventually.AssertAsync(() => toSlow.Any(t => t.IsCompletedSuccessfully && t.Result.Status == (byte)RouteStatus.MailboxFull), "a send to the slow agent is refused MailboxFull");
        Assert.True(_host.Router.MailboxDepth(slowKey.NodeId) <= Settings.MailboxMaxMessages);

        // Meanwhile another agent gets every message it is sent.
        for (var i = 0; i < 20; i++)
        {
            var result = await alice.SendAsync(fastKey.NodeId, Encoding.UTF8.GetBytes($"m{i}")).WaitAsync(Guard);
            Assert.Equal((byte)RouteStatus.Delivered, result.Status);
            var message = await fast.Messages.ReadAsync().AsTask().WaitAsync(Guard);
            Assert.Equal($"m{i}", Encoding.UTF8.GetString(message.Payload.Span));
        }

        var full = toSlow.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).First(r => r.Status == (byte)RouteStatus.MailboxFull);
        Assert.Contains("full", full.Detail, StringComparison.Ordinal);
        Assert.True(_host.Router.Counters.Answered(RouteStatus.MailboxFull) >= 1);
        _ = slow;
    }

    [Fact]
    public async Task A_tag_fan_out_reaches_every_agent_with_the_tag()
    {
        Start();
        var (_, alice) = await AgentAsync(tags: "search");
        var (_, s1) = await AgentAsync(tags: "search");
        var (_, s2) = await AgentAsync(tags: ["search", "index"]);
        var (_, other) = await AgentAsync(tags: "index");
        var result = await alice.FanOutAsync("search", "who can search?"u8.ToArray()).WaitAsync(Guard);
        Assert.Equal((byte)RouteStatus.FannedOut, result.Status);
        Assert.Contains("queued for 2 agent(s)", result.Detail, StringComparison.Ordinal);
        Assert.True((await s1.Messages.ReadAsync().AsTask().WaitAsync(Guard)).IsFanOut);
        Assert.True((await s2.Messages.ReadAsync().AsTask().WaitAsync(Guard)).IsFanOut);
        await Eventually.AssertAsync(() => _host.Router.Counters.Delivered == 2, "both copies acknowledged");
        Assert.False(other.Messages.TryRead(out _));
    }

    [Fact]
    public async Task A_repeated_message_id_is_delivered_once_and_answered_Delivered_again()
    {
        Start();
        var (_, alice) = await AgentAsync();
        var (bobKey, bob) = await AgentAsync();
        var id = alice.NewMessageId();
        Assert.Equal((byte)RouteStatus.Delivered, (await alice.SendAsync(bobKey.NodeId, "once"u8.ToArray(), id).WaitAsync(Guard)).Status);
        var again = await alice.SendAsync(bobKey.NodeId, "once"u8.ToArray(), id).WaitAsync(Guard);
        Assert.Equal((byte)RouteStatus.Delivered, again.Status);
        Assert.Contains("already acknowledged", again.Detail, StringComparison.Ordinal);
        await bob.Messages.ReadAsync().AsTask().WaitAsync(Guard);
        Assert.False(bob.Messages.TryRead(out _));
        Assert.Equal(1, bob.DeliveriesReceived);
    }

    [Fact]
    public async Task A_second_login_of_the_same_agent_takes_over_its_deliveries()
    {
        Start();
        var (_, alice) = await AgentAsync();
        var (bobKey, first) = await AgentAsync();
        var second = Own(await AgentClient.ConnectAsync(_host.EndPoint, bobKey).WaitAsync(Guard));
        await first.Completion.WaitAsync(Guard); // the first login's stream ends (Replaced)
        Assert.Equal((byte)RouteStatus.Delivered, (await alice.SendAsync(bobKey.NodeId, "to the new one"u8.ToArray()).WaitAsync(Guard)).Status);
        Assert.Equal("to the new one", Encoding.UTF8.GetString((await second.Messages.ReadAsync().AsTask().WaitAsync(Guard)).Payload.Span));
    }

    private static Hash32 Sha3Chain(string name) => Crypto.Sha3.Hash256(Encoding.UTF8.GetBytes(name));

    private static async Task<(MessageType Type, uint Correlation, byte[] Payload)> ReadFrameAsync(FrameClient connection)
    {
        while (true)
        {
            var read = await connection.Input.ReadAsync();
            var buffer = read.Buffer;
            var status = connection.Decoder.TryDecode(ref buffer, out var frame, out _);
            if (status == DecodeStatus.Frame)
            {
                var result = (frame.Header.Type, frame.Header.CorrelationId, System.Buffers.BuffersExtensions.ToArray(frame.Payload));
                connection.Input.AdvanceTo(buffer.Start);
                return result;
            }

            connection.Input.AdvanceTo(buffer.Start, buffer.End);
            if (read.IsCompleted)
            {
                throw new IOException("closed");
            }
        }
    }
}
