using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Core;
using CretoAI.Fast.Node.Replica;
using CretoAI.Fast.Storage;

namespace CretoAI.Fast.Node.Tests.Replica;

public sealed class WalCommitsTests
{
    private static readonly Hash32 Chain = new(Enumerable.Repeat((byte)7, 32).ToArray());

    /// <summary>A chain of <paramref name="count"/> blocks above genesis, each with its commit certificate.</summary>
    private static (Block Block, QuorumCertificate Certificate)[] Chain3(int count = 3)
    {
        var genesis = Block.Genesis(Chain, 0);
        var parent = Block.GenesisQc(genesis);
        var chain = new (Block, QuorumCertificate)[count];
        for (var i = 0; i < count; i++)
        {
            var height = (ulong)i + 1;
            var block = new Block(Chain, 0, height, height, parent, 0, [[(byte)i, 1, 2]], []);
            parent = new QuorumCertificate(0, height, height, block.Id, [], []);
            chain[i] = (block, parent);
        }

        return chain;
    }

    [Fact]
    public void A_certificate_resolves_to_a_voted_copy_written_after_it_and_blocks_come_out_in_height_order()
    {
        var chain = Chain3();
        var commits = new WalCommits();
        commits.AddBlock(10, chain[0].Block, chain[0].Certificate);
        commits.AddCertificate(20, chain[1].Certificate);
        commits.AddCertificate(30, chain[2].Certificate);
        var voted = new Dictionary<Hash32, Block>
        {
            [chain[2].Block.Id] = chain[2].Block, // re-written by a checkpoint after the certificate
            [chain[1].Block.Id] = chain[1].Block,
        };

        var resolved = commits.Resolve(0, voted).ToList();

        Assert.Equal(chain.Select(c => c.Block.Id), resolved.Select(r => r.Block.Id));
        Assert.Equal(chain.Select(c => c.Certificate), resolved.Select(r => r.Certificate));
    }

    [Fact]
    public void Commits_at_or_below_the_archive_and_repeated_heights_are_skipped()
    {
        var chain = Chain3();
        var commits = new WalCommits();
        commits.AddCertificate(10, chain[0].Certificate); // archived already: its copy is not needed
        commits.AddBlock(20, chain[1].Block, chain[1].Certificate);
        commits.AddCertificate(25, chain[1].Certificate);
        commits.AddBlock(30, chain[2].Block, chain[2].Certificate);

        var resolved = commits.Resolve(1, new Dictionary<Hash32, Block>()).ToList();

        Assert.Equal([2UL, 3UL], resolved.Select(r => r.Block.Height));
    }

    [Fact]
    public void A_certificate_without_a_copy_of_its_block_is_state_corruption_naming_the_record()
    {
        var chain = Chain3();
        var commits = new WalCommits();
        commits.AddBlock(10, chain[0].Block, chain[0].Certificate);
        commits.AddCertificate(4242, chain[1].Certificate);
        var voted = new Dictionary<Hash32, Block> { [chain[2].Block.Id] = chain[2].Block }; // a different block

        var error = Assert.Throws<StorageException>(() => commits.Resolve(0, voted).ToList());
        Assert.Equal(StorageError.StateCorrupt, error.Error);
        Assert.Contains("4242", error.Message, StringComparison.Ordinal);
        Assert.Contains("no copy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gap_above_the_archive_is_state_corruption()
    {
        var chain = Chain3();
        var commits = new WalCommits();
        commits.AddBlock(30, chain[2].Block, chain[2].Certificate);

        var error = Assert.Throws<StorageException>(() => commits.Resolve(1, new Dictionary<Hash32, Block>()).ToList());
        Assert.Equal(StorageError.StateCorrupt, error.Error);
    }
}
