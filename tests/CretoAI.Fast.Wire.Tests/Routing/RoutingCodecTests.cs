using System.Buffers;
using CretoAI.Fast.Core;
using CretoAI.Fast.Wire.Routing;
using CsCheck;
using Xunit;

namespace CretoAI.Fast.Wire.Tests.Routing;

/// <summary>The agent routing layouts (protocol §12): round trips, and any bytes in → no crash, no false accept of a wrong length.</summary>
public sealed class RoutingCodecTests
{
    private static readonly Gen<Hash32> AnyHash = Gen.Byte.Array[Hash32.Size].Select(b => new Hash32(b));

    [Fact]
    public void A_send_round_trips_through_its_layout()
    {
        Gen.Select(AnyHash, Gen.ULong[1, ulong.MaxValue], Gen.Byte[0, 1], AnyHash, Gen.Byte.Array[0, 300]).Sample((chain, id, kind, target, payload) =>
        {
            var send = new byte[RouteSendLayout.EncodedLength(payload.Length)];
            var unsigned = RouteSendLayout.WriteUnsigned(send, chain, id, kind, target, payload);
            Assert.Equal(RouteSendLayout.HeaderLength + payload.Length, unsigned);
            Assert.True(RouteSendLayout.TryRead(send, out var header, out var error));
            Assert.Equal(WireErrorCode.None, error);
            Assert.Equal(new RouteSendHeader(chain, id, kind, target, payload.Length), header);
            Assert.Equal(unsigned, header.SignatureOffset);
        });
    }

    [Fact]
    public void Sends_with_a_wrong_length_kind_or_id_are_refused_with_their_code()
    {
        var send = new byte[RouteSendLayout.EncodedLength(10)];
        RouteSendLayout.WriteUnsigned(send, Hash32.Zero, 5, RouteSendLayout.KindAgent, Hash32.Zero, new byte[10]);
        Assert.False(RouteSendLayout.TryRead(send.AsSpan(0, send.Length - 1), out _, out var error));
        Assert.Equal(WireErrorCode.PayloadTooShort, error);
        Assert.False(RouteSendLayout.TryRead([.. send, 0], out _, out error));
        Assert.Equal(WireErrorCode.TrailingBytes, error);
        send[40] = 2;
        Assert.False(RouteSendLayout.TryRead(send, out _, out error));
        Assert.Equal(WireErrorCode.MalformedPayload, error);
        send[40] = 0;
        send.AsSpan(32, 8).Clear();
        Assert.False(RouteSendLayout.TryRead(send, out _, out error));
        Assert.Equal(WireErrorCode.MalformedPayload, error);
    }

    [Fact]
    public void Any_bytes_never_crash_the_readers()
    {
        Gen.Byte.Array[0, 5_000].Sample(bytes =>
        {
            if (RouteSendLayout.TryRead(bytes, out var header, out _))
            {
                Assert.Equal(bytes.Length, RouteSendLayout.EncodedLength(header.PayloadLength));
            }

            RouteResultMessage.TryRead(bytes, out _);
            AgentLoginResultMessage.TryRead(bytes, out _);
            AgentChallengeMessage.TryRead(bytes, out _);
            if (RouteAckLayout.TryReadCount(bytes, out var acks, out _))
            {
                Assert.Equal(bytes.Length, RouteAckLayout.Length(acks));
                RouteAckLayout.ReadEntry(bytes, acks - 1);
            }

            if (PresenceUpdateLayout.TryReadCount(bytes, out var entries))
            {
                PresenceUpdateLayout.TryReadEntry(bytes, entries - 1, out _, out _);
            }

            RouteForwardResultLayout.TryRead(bytes, out _, out _, out _, out _);
        });
    }

    [Fact]
    public void Results_acks_presence_and_forward_results_round_trip()
    {
        Gen.Select(Gen.Byte, Gen.ULong, Gen.String[0, 40], AnyHash).Sample((status, id, detail, agent) =>
        {
            var writer = new ArrayBufferWriter<byte>();
            new RouteResultMessage(status, id, detail).WriteTo(writer);
            Assert.True(RouteResultMessage.TryRead(writer.WrittenSpan, out var result));
            Assert.Equal((status, id), (result.Status, result.MessageId));

            writer.Clear();
            new AgentLoginResultMessage(status, agent, detail).WriteTo(writer);
            Assert.True(AgentLoginResultMessage.TryRead(writer.WrittenSpan, out var login));
            Assert.Equal((status, agent), (login.Status, login.AgentId));

            var ack = new byte[RouteAckLayout.Length(2)];
            RouteAckLayout.WriteCount(ack, 2);
            RouteAckLayout.WriteEntry(ack, 1, agent, id);
            Assert.True(RouteAckLayout.TryReadCount(ack, out var count, out _));
            Assert.Equal(2, count);
            Assert.Equal((agent, id), RouteAckLayout.ReadEntry(ack, 1));

            var presence = PresenceUpdateLayout.Write([(agent, true), (Hash32.Zero, false)], 0, 2);
            Assert.True(PresenceUpdateLayout.TryReadCount(presence, out var n));
            Assert.Equal(2, n);
            Assert.True(PresenceUpdateLayout.TryReadEntry(presence, 0, out var a, out var present));
            Assert.Equal((agent, true), (a, present));

            var forward = RouteForwardResultLayout.Write(agent, Hash32.Zero, id, status);
            Assert.True(RouteForwardResultLayout.TryRead(forward, out var recipient, out _, out var fid, out var fstatus));
            Assert.Equal((agent, id, status), (recipient, fid, fstatus));
        });
    }

    [Fact]
    public void Ack_counts_over_the_limit_or_zero_are_refused()
    {
        var bytes = new byte[2];
        Assert.False(RouteAckLayout.TryReadCount(bytes, out _, out var error));
        Assert.Equal(WireErrorCode.MalformedPayload, error);
        RouteAckLayout.WriteCount(bytes, RouteAckLayout.MaxEntries + 1);
        Assert.False(RouteAckLayout.TryReadCount(bytes, out _, out error));
        Assert.Equal(WireErrorCode.FieldTooLarge, error);
    }
}
