using CretoAI.Fast.Consensus.Engine;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Consensus.Tests;

/// <summary>A minimal synchronous driver: FIFO delivery, no faults, timers fired on demand.</summary>
internal sealed class TestNetwork
{
    public TestNetwork(int n, ulong[]? weights = null, SafetyRuleBreak ruleBreak = SafetyRuleBreak.None, long idleProposalDelay = 0, int maxBlockTransactionBytes = 3 << 20)
    {
        Signers = [.. Enumerable.Range(0, n).Select(FakeSignatureScheme.CreateSigner)];
        Set = new ValidatorSet(0, [.. Signers.Select((s, i) => new Validator(s.NodeId, s.PublicKey, weights?[i] ?? 100))]);
        ChainId = Sha3.Hash256("test-chain"u8);
        Config = new ConsensusConfig { ChainId = ChainId, Validators = Set, TestOnlyRuleBreak = ruleBreak, IdleProposalDelay = idleProposalDelay, MaxBlockTransactionBytes = maxBlockTransactionBytes };
        Engines = [.. Signers.Select(s => new ConsensusEngine(Config, s, FakeSignatureScheme.Instance))];
        Outputs = [.. Engines.Select(_ => new List<ConsensusOutput>())];
        PersistedSafety = new SafetyState?[n];
        PersistedTip = new Block?[n];
        PersistedBlocks = [.. Engines.Select(_ => new Dictionary<Hash32, Block>())];
    }

    public IConsensusSigner[] Signers { get; }

    public ValidatorSet Set { get; }

    public Hash32 ChainId { get; }

    public ConsensusConfig Config { get; }

    public ConsensusEngine[] Engines { get; }

    public List<ConsensusOutput>[] Outputs { get; }

    public Queue<(int From, int To, ConsensusMessage Message)> InFlight { get; } = new();

    public List<Block>[] Committed { get; private set; } = [];

    public HashSet<int> Silenced { get; } = [];

    /// <summary>Each node's "disk": what the driver made durable from its outputs.</summary>
    public SafetyState?[] PersistedSafety { get; }

    public Block?[] PersistedTip { get; }

    public Dictionary<Hash32, Block>[] PersistedBlocks { get; }

    public long Now { get; set; }

    public void Start()
    {
        Committed = [.. Engines.Select(_ => new List<Block>())];
        for (var i = 0; i < Engines.Length; i++)
        {
            var list = new List<ConsensusOutput>();
            Engines[i].Start(Now, list);
            Route(i, list);
        }
    }

    /// <summary>Crash and restart node <paramref name="i"/>: a new engine built from its disk alone.</summary>
    public void Restart(int i)
    {
        Engines[i] = new ConsensusEngine(Config, Signers[i], FakeSignatureScheme.Instance, PersistedSafety[i], PersistedTip[i], PersistedBlocks[i].Values);
        var list = new List<ConsensusOutput>();
        Engines[i].Start(Now, list);
        Route(i, list);
    }

    /// <summary>Delivers what is in flight, dropping every message <paramref name="drop"/> picks (lost on the wire).</summary>
    public void RunDropping(Func<(int From, int To, ConsensusMessage Message), bool> drop, int maxMessages = 100_000)
    {
        for (var k = 0; k < maxMessages && InFlight.TryDequeue(out var m); k++)
        {
            if (!drop(m))
            {
                Deliver(m.From, m.To, m.Message);
            }
        }
    }

    public void Deliver(int from, int to, ConsensusMessage message)
    {
        var list = new List<ConsensusOutput>();
        Engines[to].Step(ConsensusInput.Received(from, message, Now), list);
        Route(to, list);
    }

    /// <summary>Fires node <paramref name="i"/>'s timer for its current round.</summary>
    public void FireTimer(int i)
    {
        var list = new List<ConsensusOutput>();
        Engines[i].Step(ConsensusInput.TimerFired(Engines[i].Round, Now), list);
        Route(i, list);
    }

    /// <summary>Offers <paramref name="transactions"/> to node <paramref name="i"/>'s engine.</summary>
    public void Offer(int i, params byte[][] transactions)
    {
        var list = new List<ConsensusOutput>();
        Engines[i].Step(ConsensusInput.Offered(transactions, Now), list);
        Route(i, list);
    }

    public void FireTimers()
    {
        for (var i = 0; i < Engines.Length; i++)
        {
            var list = new List<ConsensusOutput>();
            Engines[i].Step(ConsensusInput.TimerFired(Engines[i].Round, Now), list);
            Route(i, list);
        }
    }

    public void Run(int maxMessages = 100_000)
    {
        for (var k = 0; k < maxMessages && InFlight.TryDequeue(out var m); k++)
        {
            Deliver(m.From, m.To, m.Message);
        }
    }

    private void Route(int from, List<ConsensusOutput> outputs)
    {
        Outputs[from].AddRange(outputs);
        foreach (var output in outputs)
        {
            switch (output)
            {
                case SendMessage send when !Silenced.Contains(from):
                    InFlight.Enqueue((from, send.To, send.Message));
                    break;
                case BroadcastMessage broadcast when !Silenced.Contains(from):
                    for (var to = 0; to < Engines.Length; to++)
                    {
                        if (to != from)
                        {
                            InFlight.Enqueue((from, to, broadcast.Message));
                        }
                    }

                    break;
                case PersistSafetyState persist:
                    PersistedSafety[from] = persist.State;
                    break;
                case PersistBlock persist:
                    PersistedBlocks[from].TryAdd(persist.Block.Id, persist.Block);
                    break;
                case BlockCommitted committed:
                    Committed[from].Add(committed.Block);
                    PersistedTip[from] = committed.Block;
                    PersistedBlocks[from].TryAdd(committed.Block.Id, committed.Block);
                    break;
                default:
                    break;
            }
        }
    }
}
