using System.Buffers;
using CretoAI.Fast.Consensus.Evidence;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Messages.Codec;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests.Codec;

/// <summary>Field-by-field equality of consensus messages (they have reference equality), and encode helpers.</summary>
internal static class CodecAssert
{
    public static byte[] Encode(ConsensusMessage message)
    {
        var writer = new ArrayBufferWriter<byte>();
        ConsensusCodec.Write(writer, message);
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] Encode(Block block, QuorumCertificate certificate)
    {
        var writer = new ArrayBufferWriter<byte>();
        CommittedBlockCodec.Write(writer, block, certificate);
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] EncodeBatch(IReadOnlyList<CommittedBlock> blocks)
    {
        var writer = new ArrayBufferWriter<byte>();
        CommittedBlockCodec.WriteBatch(writer, blocks);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes, decodes with the default limits, checks the copy field by field and that it re-encodes to the same bytes.</summary>
    public static T RoundTrip<T>(T message)
        where T : ConsensusMessage
    {
        var bytes = Encode(message);
        Assert.Equal(ConsensusDecodeError.None, ConsensusCodec.TryRead(bytes, ConsensusCodecLimits.Default, out var decoded));
        var copy = Assert.IsAssignableFrom<T>(decoded);
        Assert.NotSame(message, copy);
        Equal(message, copy);
        Assert.Equal(bytes, Encode(copy));
        return copy;
    }

    public static void Equal(ConsensusMessage expected, ConsensusMessage actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.Epoch, actual.Epoch);
        switch (expected)
        {
            case Proposal p:
                var ap = (Proposal)actual;
                Equal(p.Block, ap.Block);
                Assert.Equal(p.Signature, ap.Signature);
                Equal(p.LastRoundTc, ap.LastRoundTc);
                break;
            case Vote v:
                var av = (Vote)actual;
                Assert.Equal(v.Round, av.Round);
                Assert.Equal(v.Height, av.Height);
                Assert.Equal(v.BlockId, av.BlockId);
                Assert.Equal(v.VoterIndex, av.VoterIndex);
                Assert.Equal(v.Signature, av.Signature);
                break;
            case TimeoutMessage t:
                var at = (TimeoutMessage)actual;
                Assert.Equal(t.Round, at.Round);
                Assert.Equal(t.VoterIndex, at.VoterIndex);
                Assert.Equal(t.Signature, at.Signature);
                Equal(t.HighQc, at.HighQc);
                Equal(t.LastRoundTc, at.LastRoundTc);
                break;
            case EvidenceMessage e:
                Equal(e.Evidence, ((EvidenceMessage)actual).Evidence);
                break;
            case BlockRequest r:
                var ar = (BlockRequest)actual;
                Assert.Equal(r.BlockId, ar.BlockId);
                Assert.Equal(r.MaxAncestors, ar.MaxAncestors);
                break;
            case BlockResponse b:
                var ab = (BlockResponse)actual;
                Assert.Equal(b.Blocks.Count, ab.Blocks.Count);
                for (var i = 0; i < b.Blocks.Count; i++)
                {
                    Equal(b.Blocks[i], ab.Blocks[i]);
                }

                break;
            default:
                Assert.Fail($"no comparison for {expected.GetType().Name}");
                break;
        }
    }

    public static void Equal(Block expected, Block actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.ChainId, actual.ChainId);
        Assert.Equal(expected.Epoch, actual.Epoch);
        Assert.Equal(expected.Round, actual.Round);
        Assert.Equal(expected.Height, actual.Height);
        Assert.Equal(expected.TimestampMs, actual.TimestampMs);
        Assert.Equal(expected.ProposerIndex, actual.ProposerIndex);
        Equal(expected.Qc, actual.Qc);
        Assert.Equal(expected.Transactions.Count, actual.Transactions.Count);
        for (var i = 0; i < expected.Transactions.Count; i++)
        {
            Assert.Equal(expected.Transactions[i], actual.Transactions[i]);
        }

        Assert.Equal(expected.Evidence.Count, actual.Evidence.Count);
        for (var i = 0; i < expected.Evidence.Count; i++)
        {
            Equal(expected.Evidence[i], actual.Evidence[i]);
        }
    }

    public static void Equal(QuorumCertificate expected, QuorumCertificate actual)
    {
        Assert.Equal(expected.Epoch, actual.Epoch);
        Assert.Equal(expected.Round, actual.Round);
        Assert.Equal(expected.Height, actual.Height);
        Assert.Equal(expected.BlockId, actual.BlockId);
        Assert.Equal(expected.SignerBitmap, actual.SignerBitmap);
        Assert.Equal(expected.Signatures.Count, actual.Signatures.Count);
        for (var i = 0; i < expected.Signatures.Count; i++)
        {
            Assert.Equal(expected.Signatures[i], actual.Signatures[i]);
        }
    }

    public static void Equal(TimeoutCertificate? expected, TimeoutCertificate? actual)
    {
        if (expected is null || actual is null)
        {
            Assert.Equal(expected is null, actual is null);
            return;
        }

        Assert.Equal(expected.Epoch, actual.Epoch);
        Assert.Equal(expected.Round, actual.Round);
        Assert.Equal(expected.SignerBitmap, actual.SignerBitmap);
        Assert.Equal(expected.HighQcRounds, actual.HighQcRounds);
        Assert.Equal(expected.Signatures.Count, actual.Signatures.Count);
        for (var i = 0; i < expected.Signatures.Count; i++)
        {
            Assert.Equal(expected.Signatures[i], actual.Signatures[i]);
        }

        Equal(expected.HighQc, actual.HighQc);
    }

    public static void Equal(EquivocationEvidence expected, EquivocationEvidence actual)
    {
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Epoch, actual.Epoch);
        Assert.Equal(expected.Round, actual.Round);
        Assert.Equal(expected.ValidatorIndex, actual.ValidatorIndex);
        Equal(expected.First, actual.First);
        Equal(expected.Second, actual.Second);
    }

    private static void Equal(SignedStatement expected, SignedStatement actual)
    {
        Assert.Equal(expected.Height, actual.Height);
        Assert.Equal(expected.BlockId, actual.BlockId);
        Assert.Equal(expected.Signature, actual.Signature);
    }
}
