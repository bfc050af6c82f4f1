using System.Collections.Frozen;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.LoadGen.Modes;

/// <summary>
/// The transactions of one <c>tx</c> step, signed before it starts (an ML-DSA-87 signature costs
/// milliseconds, far more than a submission). Each is a payload transaction from a fresh key with
/// nonce 1. Fresh keys, because the ledger applies an account's transaction only with nonce exactly
/// last + 1, and the node admits pipelined submissions in parallel: two transactions of one account
/// in flight together could reach the mempool (and a block) in either order, and every later nonce of
/// that account would then be rejected too. A key per transaction makes every one independent of the
/// others' fate (a refused or lost transaction costs only itself).
/// </summary>
internal sealed class TransactionSet
{
    private readonly PendingTransaction[][] _byWorker;
    private readonly PendingTransaction[] _probes;
    private readonly FrozenDictionary<Hash32, PendingTransaction> _byId;

    private TransactionSet(PendingTransaction[][] byWorker, PendingTransaction[] probes)
    {
        _byWorker = byWorker;
        _probes = probes;
        var all = new Dictionary<Hash32, PendingTransaction>();
        foreach (var probe in probes)
        {
            all[probe.Id] = probe;
        }

        foreach (var worker in byWorker)
        {
            foreach (var transaction in worker)
            {
                all[transaction.Id] = transaction;
            }
        }

        _byId = all.ToFrozenDictionary();
    }

    /// <summary>Transactions each worker may send in the step (its probe not included).</summary>
    public int PerWorker => _byWorker.Length == 0 ? 0 : _byWorker[0].Length;

    /// <summary>
    /// Signs <paramref name="perWorker"/> transactions plus one probe for each of
    /// <paramref name="workers"/> workers, on every core, for <paramref name="chainId"/>, each with a
    /// body of <paramref name="bodyBytes"/> random bytes.
    /// </summary>
    public static TransactionSet Sign(int workers, int perWorker, Hash32 chainId, int bodyBytes, CancellationToken cancellationToken)
    {
        var byWorker = new PendingTransaction[workers][];
        for (var w = 0; w < workers; w++)
        {
            byWorker[w] = new PendingTransaction[perWorker];
        }

        var probes = new PendingTransaction[workers];
        var each = perWorker + 1;
        Parallel.For(
            0,
            (long)workers * each,
            new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
            index =>
            {
                var worker = (int)(index / each);
                var slot = (int)(index % each);
                var body = new byte[bodyBytes];
                Random.Shared.NextBytes(body);
                byte[] envelope;
                using (var key = MLDsa87Signer.Generate())
                {
                    envelope = AgentTransactions.Payload(key, chainId, 1, body);
                }

                var transaction = new PendingTransaction(envelope, TransactionIds.Of(envelope), worker, probe: slot == perWorker);
                if (slot == perWorker)
                {
                    probes[worker] = transaction;
                }
                else
                {
                    byWorker[worker][slot] = transaction;
                }
            });
        return new TransactionSet(byWorker, probes);
    }

    /// <summary>Every transaction of the set, probes included.</summary>
    public IEnumerable<PendingTransaction> All => _byId.Values;

    public PendingTransaction[] ForWorker(int worker) => _byWorker[worker];

    public PendingTransaction Probe(int worker) => _probes[worker];

    public bool TryGet(Hash32 id, out PendingTransaction? transaction) => _byId.TryGetValue(id, out transaction);
}
