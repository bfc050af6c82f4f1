using BenchmarkDotNet.Attributes;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Benchmarks.Reputation;

/// <summary>
/// What the validator ledger costs per committed block with 100 validators and certificates of 67
/// signers (every block: 68 reputation updates, each a score record and a history record, plus the
/// ledger's own records; every 10th block a participation window). Reference in the same run: the
/// same number of raw upserts of the same sizes straight into the sharded FASTER store, so the ratio
/// is the price of decay, encoding, history and the state digest on top of storage.
/// </summary>
[MemoryDiagnoser]
public class ValidatorLedgerBenchmarks
{
    private const int Validators = 100;
    private const int Signers = 67;
    private const int Blocks = 100;

    private readonly List<Block> _chain = [];
    private ValidatorSet _set = null!;
    private LedgerValidator[] _genesis = [];
    private string _directory = "";
    private ShardedStore? _store;
    private ValidatorLedger _ledger = null!;
    private Hash32[] _subjects = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        var validators = new List<Validator>();
        var genesis = new List<LedgerValidator>();
        for (var i = 0; i < Validators; i++)
        {
            var publicKey = new byte[MLDsa87Sizes.PublicKey];
            random.NextBytes(publicKey);
            validators.Add(new Validator(Sha3.Hash256(publicKey), publicKey, 1_000));
            genesis.Add(new LedgerValidator(publicKey, 200_000, 500_000));
        }

        _set = new ValidatorSet(0, validators);
        _genesis = [.. genesis];
        _subjects = [.. validators.Select(v => v.NodeId)];
        var chainId = Sha3.Hash256("ledger-benchmark"u8);
        var parent = Block.Genesis(chainId, 0, 1_700_000_000_000);
        for (var h = 1; h <= Blocks; h++)
        {
            var bitmap = new ulong[_set.BitmapWords];
            foreach (var s in Enumerable.Range(0, Validators).OrderBy(_ => random.Next()).Take(Signers))
            {
                bitmap[s / 64] |= 1UL << (s % 64);
            }

            var qc = new QuorumCertificate(0, parent.Round, parent.Height, parent.Id, bitmap, []);
            var round = parent.Round + 1;
            parent = new Block(chainId, 0, round, parent.Height + 1, qc, _set.LeaderOf(round), [], [], parent.TimestampMs + 1000);
            _chain.Add(parent);
        }
    }

    [IterationSetup(Targets = [nameof(ApplyOnStore), nameof(RawUpsertsOfTheSameRecords)])]
    public void FreshStore()
    {
        _store?.Dispose();
        if (_directory.Length > 0 && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        _directory = Path.Combine(Path.GetTempPath(), "cretoai-ledger-bench", Guid.NewGuid().ToString("N"));
        _store = new ShardedStore(Path.Combine(_directory, "shards"), Path.Combine(_directory, "checkpoints"), new ShardedStoreOptions { ShardCount = 2, MemoryBudgetPerShardBytes = 64L << 20 });
        _ledger = NewLedger(new StoreReplicatedState(_store));
    }

    [IterationSetup(Target = nameof(ApplyInMemory))]
    public void FreshMemory() => _ledger = NewLedger(new MemoryReplicatedState());

    [GlobalCleanup]
    public void Cleanup()
    {
        _store?.Dispose();
        if (_directory.Length > 0 && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>Raw upserts: per block, (signers + 1) × (a 17-byte score record + a 293-byte history record) + 3 ledger records.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Blocks)]
    public void RawUpsertsOfTheSameRecords()
    {
        Span<byte> key = stackalloc byte[32];
        Span<byte> small = stackalloc byte[17];
        Span<byte> history = stackalloc byte[293];
        for (var h = 0; h < Blocks; h++)
        {
            for (var s = 0; s <= Signers; s++)
            {
                _subjects[s].CopyTo(key);
                key[0] = 1;
                small[1] = (byte)h;
                _store!.Upsert(key, small);
                key[0] = 2;
                history[1] = (byte)h;
                _store.Upsert(key, history);
            }

            for (var r = 0; r < 3; r++)
            {
                key.Clear();
                key[0] = (byte)(10 + r);
                _store!.Upsert(key, history);
            }
        }
    }

    [Benchmark(OperationsPerInvoke = Blocks)]
    public void ApplyOnStore()
    {
        foreach (var block in _chain)
        {
            _ledger.Apply(block);
        }
    }

    [Benchmark(OperationsPerInvoke = Blocks)]
    public void ApplyInMemory()
    {
        foreach (var block in _chain)
        {
            _ledger.Apply(block);
        }
    }

    private ValidatorLedger NewLedger(IReplicatedState state)
    {
        var ledger = new ValidatorLedger(state, LedgerRules.Default, Sha3.Hash256("ledger-benchmark"u8), _set, _genesis);
        ledger.InitializeGenesis(1_700_000_000_000);
        return ledger;
    }
}
