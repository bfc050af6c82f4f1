using System.Buffers.Binary;
using System.Security.Cryptography;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Core;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests;

public class BlockIdTests
{
    [Fact]
    public void The_block_id_is_sha3_over_the_documented_header_and_each_transactions_sha3()
    {
        var chain = new Hash32(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        var parent = new Hash32(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());
        var qc = new QuorumCertificate(3, 6, 9, parent, [], []);
        byte[][] transactions = [[1, 2, 3], new byte[7364], []];
        new Random(7).NextBytes(transactions[1]);
        var block = new Block(chain, 3, 7, 10, qc, 2, transactions, [], 1_700_000_000_000);

        // Built here from docs/protocol.md §10.4.4 with the platform's SHA3-256, not with Block's code.
        var preimage = new List<byte>("cretoai-fast/block/v2"u8.ToArray());
        var header = new byte[124];
        chain.CopyTo(header);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(32), 3);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(40), 7);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(48), 10);
        parent.CopyTo(header.AsSpan(56));
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(88), 6);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(96), 9);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(104), 2);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(108), 3);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(112), 0);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(116), 1_700_000_000_000);
        preimage.AddRange(header);
        foreach (var tx in transactions)
        {
            preimage.AddRange(SHA3_256.HashData(tx));
        }

        Assert.Equal(Convert.ToHexStringLower(SHA3_256.HashData(preimage.ToArray())), block.Id.ToString());
        Assert.Equal(transactions.Select(t => Convert.ToHexStringLower(SHA3_256.HashData(t))), block.TransactionIds.Select(id => id.ToString()));
    }

    [Fact]
    public void Changing_or_reordering_a_transaction_changes_the_id()
    {
        var genesis = Block.Genesis(Hash32.Zero, 0);
        var qc = Block.GenesisQc(genesis);
        byte[][] transactions = [[1], [2], [3], [4], [5]];
        var original = new Block(Hash32.Zero, 0, 1, 1, qc, 0, transactions, []);
        var changed = new Block(Hash32.Zero, 0, 1, 1, qc, 0, [[1], [2], [3], [4], [6]], []);
        var swapped = new Block(Hash32.Zero, 0, 1, 1, qc, 0, [[1], [2], [3], [5], [4]], []);
        var same = new Block(Hash32.Zero, 0, 1, 1, qc, 0, [[1], [2], [3], [4], [5]], []);

        Assert.NotEqual(original.Id, changed.Id);
        Assert.NotEqual(original.Id, swapped.Id);
        Assert.Equal(original.Id, same.Id);
    }
}
