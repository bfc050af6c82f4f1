using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Reputation.Tests.Ledger;

public sealed class LedgerDeterminismTests
{
    private static List<Block> BuildChain(LedgerFixture f, int blocks, int seed)
    {
        var random = new Random(seed);
        var nonces = new ulong[4];
        for (var h = 1; h <= blocks; h++)
        {
            var signers = Enumerable.Range(0, 4).Where(_ => random.Next(4) != 0).ToArray();
            var txs = new List<byte[]>();
            if (random.Next(3) == 0)
            {
                var who = random.Next(4);
                var amount = (ulong)random.Next(1, 300_000);
                txs.Add(random.Next(3) switch
                {
                    0 => StakeTransactions.Bond(f.Keys[who], f.ChainId, ++nonces[who], amount),
                    1 => StakeTransactions.Unbond(f.Keys[who], f.ChainId, ++nonces[who], amount),
                    _ => StakeTransactions.Withdraw(f.Keys[who], f.ChainId, ++nonces[who]),
                });
            }

            var evidence = random.Next(10) == 0 ? new[] { LedgerFixture.DoubleVote(random.Next(4), (ulong)random.Next(1, 5)) } : null;
            f.Next(signers, [.. txs], evidence, roundGap: (ulong)(random.Next(6) == 0 ? 1 : 0));
        }

        return f.Chain;
    }

    [Fact]
    public void The_same_committed_chain_gives_byte_identical_state_on_two_instances()
    {
        var f = new LedgerFixture();
        var chain = BuildChain(f, 60, seed: 7);
        var a = new MemoryReplicatedState();
        var b = new MemoryReplicatedState();
        var ledgerA = f.NewLedger(a);
        var ledgerB = f.NewLedger(b);
        foreach (var block in chain.Skip(1))
        {
            var outA = ledgerA.Apply(block);
            var outB = ledgerB.Apply(block);
            Assert.Equal(outA.StateHash, outB.StateHash);
        }

        var entriesA = a.Entries();
        var entriesB = b.Entries();
        Assert.Equal(entriesA.Count, entriesB.Count);
        for (var i = 0; i < entriesA.Count; i++)
        {
            Assert.Equal(entriesA[i].Key, entriesB[i].Key);
            Assert.Equal(entriesA[i].Value, entriesB[i].Value);
        }

        Assert.Equal(a.Digest, b.Digest);
        Assert.Equal(3UL, ledgerA.Epoch);
    }

    [Fact]
    public async Task After_checkpoint_and_recovery_replaying_the_tail_gives_the_same_state()
    {
        var f = new LedgerFixture();
        var chain = BuildChain(f, 45, seed: 11);
        var reference = new MemoryReplicatedState();
        var referenceLedger = f.NewLedger(reference);
        foreach (var block in chain.Skip(1))
        {
            referenceLedger.Apply(block);
        }

        using var temp = new CretoAI.Fast.Storage.Tests.TempDirectory();
        var directory = temp.Sub("node");
        var options = new NodeStorageOptions
        {
            DataDirectory = directory,
            Store = new ShardedStoreOptions { ShardCount = 2, MemoryBudgetPerShardBytes = 1 << 20, HashBucketsPerShard = 1 << 10, MaxValueSize = 4096 },
            Wal = new WalOptions { PageSizeBits = 14, MemorySizeBits = 16, SegmentSizeBits = 20 },
        };

        // First life: apply 30 blocks (each logged to the WAL by height), checkpoint after 20, then "crash".
        using (var storage = NodeStorage.Open(options))
        {
            var ledger = f.NewLedger(new StoreReplicatedState(storage.State));
            for (var h = 1; h <= 30; h++)
            {
                ledger.Apply(chain[h]);
                storage.Wal.Append(WalRecordKind.Block, BitConverter.GetBytes((ulong)h));
                storage.Wal.Commit();
                if (h == 20)
                {
                    await storage.CheckpointAsync(storage.Wal.TailAddress);
                }
            }
        }

        // Second life: the checkpoint restores height 20; the WAL tail names blocks 21..30; then the rest.
        using (var storage = NodeStorage.Open(options))
        {
            var ledger = new ValidatorLedger(new StoreReplicatedState(storage.State), f.Rules, f.ChainId, f.Set, f.Genesis);
            Assert.True(ledger.IsInitialized);
            Assert.Equal(20UL, ledger.Height);
            storage.Replay(record =>
            {
                var h = BitConverter.ToUInt64(record.Payload);
                ledger.Apply(chain[(int)h]);
            });
            Assert.Equal(30UL, ledger.Height);
            foreach (var block in chain.Skip(31))
            {
                ledger.Apply(block);
            }

            Assert.Equal(reference.Digest, ledger.StateDigest);
            Assert.Equal(referenceLedger.Stake.SlashPool, ledger.Stake.SlashPool);
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(referenceLedger.Stake.BondedStake(f.Id(i)), ledger.Stake.BondedStake(f.Id(i)));
                Assert.Equal(referenceLedger.Reputation.History(f.Id(i)), ledger.Reputation.History(f.Id(i)));
            }
        }
    }
}
