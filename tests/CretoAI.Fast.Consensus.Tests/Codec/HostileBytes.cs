using CretoAI.Fast.Consensus.Messages.Codec;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests.Codec;

/// <summary>Runs bytes through every decoder of the codec and checks the contract each must keep on any input.</summary>
internal static class HostileBytes
{
    /// <summary>
    /// Every decoder returns (no exception); an error leaves the outputs null; a success yields objects
    /// that re-encode to exactly the input (the encoding is canonical).
    /// </summary>
    public static void CheckAllDecoders(byte[] bytes, ConsensusCodecLimits? limits = null)
    {
        limits ??= ConsensusCodecLimits.Default;

        var error = ConsensusCodec.TryRead(bytes, limits, out var message);
        Assert.Equal(error == ConsensusDecodeError.None, message is not null);
        if (message is not null)
        {
            Assert.Equal(bytes, CodecAssert.Encode(message));
        }

        error = CommittedBlockCodec.TryRead(bytes, limits, out var block, out var certificate);
        Assert.Equal(error == ConsensusDecodeError.None, block is not null);
        Assert.Equal(block is null, certificate is null);
        if (block is not null)
        {
            Assert.Equal(bytes, CodecAssert.Encode(block, certificate!));
        }

        error = CommittedBlockCodec.TryReadBatch(bytes, limits, out var batch);
        Assert.Equal(error == ConsensusDecodeError.None, batch is not null);
        if (batch is not null)
        {
            Assert.Equal(bytes, CodecAssert.EncodeBatch(batch));
        }

        error = SyncRequestPayload.TryRead(bytes, out var request);
        Assert.True(error != ConsensusDecodeError.None || (bytes.Length == SyncRequestPayload.Size && request.MaxBlocks > 0 && request.MaxBytes > 0));
    }
}
