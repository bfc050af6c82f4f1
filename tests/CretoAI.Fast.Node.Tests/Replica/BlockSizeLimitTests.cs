using CretoAI.Fast.Consensus.Engine;
using CretoAI.Fast.Node.Settings;
using CretoAI.Fast.Storage;

namespace CretoAI.Fast.Node.Tests.Replica;

public sealed class BlockSizeLimitTests
{
    /// <summary>
    /// A committed-block WAL record is the block (its transactions, at most the engine's byte limit)
    /// plus its certificate and evidence; it must fit the node's WAL record limit (in either storage format), or the leader's
    /// append would fail and stop the node. Also the default validator frame must carry such a block.
    /// </summary>
    [Fact]
    public void The_largest_block_the_engine_builds_fits_a_wal_record_and_a_validator_frame()
    {
        const int CertificateAndEvidenceRoom = 512 * 1024; // 64 signatures of 4,627 B ≈ 296 KB, plus 8 pieces of evidence
        var options = new NodeStorageOptions { DataDirectory = "unused" };
        Assert.True(options.Wal.MaxRecordSize >= ConsensusConfig.DefaultMaxBlockTransactionBytes + CertificateAndEvidenceRoom);

        // A format-2 data directory keeps its 4 MiB WAL pages and never splits a record.
        Assert.True(options.ForFormat(2).Wal.MaxRecordSize >= ConsensusConfig.DefaultMaxBlockTransactionBytes + CertificateAndEvidenceRoom);
        Assert.True(new NodeSettings().MaxFramePayloadBytes >= ConsensusConfig.DefaultMaxBlockTransactionBytes + CertificateAndEvidenceRoom);
    }
}
