using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Messages.Codec;
using CretoAI.Fast.Core;
using CretoAI.Fast.Storage;

namespace CretoAI.Fast.Node.Replica;

/// <summary>
/// The committed blocks a WAL scan found above the archive, in log order: either a full committed
/// block, or a certificate alone whose block is one of the WAL's voted records. Recovery collects
/// them during the scan and resolves them after it against the voted blocks the scan found,
/// because a checkpoint may have written a block's voted copy after its certificate.
/// </summary>
internal sealed class WalCommits
{
    private readonly List<(long Address, Block? Block, QuorumCertificate Certificate)> _entries = [];

    public int Count => _entries.Count;

    public void AddBlock(long address, Block block, QuorumCertificate certificate) => _entries.Add((address, block, certificate));

    public void AddCertificate(long address, QuorumCertificate certificate) => _entries.Add((address, null, certificate));

    /// <summary>
    /// The blocks to apply after <paramref name="archiveHeight"/>, consecutive and in height order,
    /// each with its certificate; entries at or below the height reached are skipped. A certificate's
    /// block is looked up by id in <paramref name="voted"/>.
    /// </summary>
    /// <exception cref="StorageException">A gap in heights, or a certificate whose block the WAL does not hold (<see cref="StorageError.StateCorrupt"/>).</exception>
    public IEnumerable<(Block Block, QuorumCertificate Certificate)> Resolve(ulong archiveHeight, IReadOnlyDictionary<Hash32, Block> voted)
    {
        var height = archiveHeight;
        foreach (var (address, held, certificate) in _entries)
        {
            if (certificate.Height <= height)
            {
                continue;
            }

            if (certificate.Height != height + 1)
            {
                throw new StorageException(StorageError.StateCorrupt, $"WAL holds committed block {certificate.Height} but the chain recovered so far ends at {height}; blocks in between are missing.");
            }

            var block = held ?? voted.GetValueOrDefault(certificate.BlockId);
            if (block is null || !CommittedBlockCodec.Certifies(certificate, block))
            {
                throw new StorageException(StorageError.StateCorrupt, $"WAL record at {address} commits block {certificate.BlockId.ToShortString()} at height {certificate.Height}, but the WAL holds no copy of that block.");
            }

            height = block.Height;
            yield return (block, certificate);
        }
    }
}
