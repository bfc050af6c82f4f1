using System.Globalization;
using System.Text;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Wire.Client;
using CretoAI.Fast.Wire.Transactions;
using Xunit;
using Xunit.Sdk;

namespace CretoAI.Fast.Cli.Tests.ClusterProcesses;

/// <summary>A transaction the test submitted: its id, the node it went to, and what it is.</summary>
internal sealed record SubmittedTransaction(Hash32 Id, int Node, string What);

/// <summary>
/// Fresh agents (ML-DSA-87 keys made for the test, so nonces start at 1) that submit signed
/// transactions over <see cref="Net.Client.NodeClient"/>. Agent k always submits to one node, in
/// nonce order and waiting for each admission, so its nonces reach the chain in order.
/// </summary>
internal sealed class ClusterAgents : IDisposable
{
    private readonly KeyPair[] _keys;
    private readonly ulong[] _nonces;
    private readonly string _label;

    public ClusterAgents(int count, string label)
    {
        _keys = [.. Enumerable.Range(0, count).Select(_ => KeyPair.Generate())];
        _nonces = new ulong[count];
        _label = label;
    }

    public int Count => _keys.Length;

    /// <summary>
    /// Agent k (k = 0..Count-1) submits to node <c>nodes[k % nodes.Count]</c>: its registration first
    /// when it has none yet, then <paramref name="payloads"/> payloads. Every one must be Accepted.
    /// </summary>
    public async Task<List<SubmittedTransaction>> SubmitAsync(ProcessCluster cluster, IReadOnlyList<int> nodes, int payloads, CancellationToken cancellationToken)
    {
        var perAgent = await Task.WhenAll(Enumerable.Range(0, _keys.Length).Select(async k =>
        {
            var node = nodes[k % nodes.Count];
            var sent = new List<SubmittedTransaction>();
            if (_nonces[k] == 0)
            {
                var register = AgentTransactions.Register(_keys[k], cluster.ChainId, ++_nonces[k], $"{_label}-agent-{k}", ["cluster-test", _label]);
                sent.Add(await SubmitOneAsync(cluster, node, register, $"agent-register of {_label}-agent-{k} (nonce {_nonces[k]})", cancellationToken));
            }

            for (var p = 0; p < payloads; p++)
            {
                var nonce = ++_nonces[k];
                var payload = AgentTransactions.Payload(_keys[k], cluster.ChainId, nonce, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{_label} agent {k} payload nonce {nonce}")));
                sent.Add(await SubmitOneAsync(cluster, node, payload, $"payload of {_label}-agent-{k} (nonce {nonce})", cancellationToken));
            }

            return sent;
        }));
        return [.. perAgent.SelectMany(s => s)];
    }

    /// <summary>A payload of agent <paramref name="agent"/> with its next nonce, not submitted.</summary>
    public byte[] NextPayload(int agent, Hash32 chainId, string text) =>
        AgentTransactions.Payload(_keys[agent], chainId, ++_nonces[agent], Encoding.UTF8.GetBytes(text));

    public static async Task<SubmittedTransaction> SubmitOneAsync(ProcessCluster cluster, int node, byte[] envelope, string what, CancellationToken cancellationToken)
    {
        var client = await cluster.ClientAsync(node, cancellationToken);
        var result = await client.SubmitAsync(envelope, cancellationToken);
        var id = TransactionIds.Of(envelope);
        if (result.Status != SubmitStatus.Accepted)
        {
            throw new XunitException($"node {node} answered {result.Status} ({result.Detail}) to {what}");
        }

        Assert.Equal(id, result.TransactionId);
        return new SubmittedTransaction(id, node, what);
    }

    public void Dispose()
    {
        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }
}

/// <summary>Reads one node's committed blocks as they come and records where each transaction landed.</summary>
internal sealed class CommitScanner(ProcessCluster cluster, int node)
{
    private ulong _next = 1;

    public Dictionary<Hash32, List<(ulong Height, TransactionResultEntry Entry)>> Seen { get; } = [];

    public async Task ScanAsync(CancellationToken cancellationToken)
    {
        if (await cluster.TryStatusAsync(node, cancellationToken) is not { } status || status.Height < _next)
        {
            return;
        }

        foreach (var block in await cluster.BlocksAsync(node, _next, status.Height, cancellationToken))
        {
            foreach (var entry in block.Transactions)
            {
                if (!Seen.TryGetValue(entry.Id, out var list))
                {
                    Seen[entry.Id] = list = [];
                }

                list.Add((block.Height, entry));
            }
        }

        _next = status.Height + 1;
    }

    /// <summary>Waits until every one of <paramref name="transactions"/> is in a block committed by this node.</summary>
    public Task WaitForAsync(IReadOnlyCollection<SubmittedTransaction> transactions, CancellationToken cancellationToken) =>
        cluster.WaitUntilAsync(
            $"{transactions.Count} submitted transactions in blocks committed by node {node}",
            async ct =>
            {
                await ScanAsync(ct);
                var missing = transactions.Where(t => !Seen.ContainsKey(t.Id)).ToList();
                return missing.Count == 0;
            },
            ProcessCluster.DefaultWait,
            cancellationToken);
}

/// <summary>Assertions over committed chains.</summary>
internal static class ChainAssert
{
    /// <summary>
    /// Every node of <paramref name="nodes"/> has committed blocks 1..<paramref name="upTo"/> with the
    /// same block hash, state hash and transaction results (id, verdict, reason) as the first node.
    /// Returns the first node's blocks.
    /// </summary>
    public static async Task<CommittedBlockMessage[]> SameChainAsync(ProcessCluster cluster, IReadOnlyList<int> nodes, ulong upTo, CancellationToken cancellationToken)
    {
        var reference = await cluster.BlocksAsync(nodes[0], 1, upTo, cancellationToken);
        foreach (var other in nodes.Skip(1))
        {
            var blocks = await cluster.BlocksAsync(other, 1, upTo, cancellationToken);
            SameBlocks(reference, $"node {nodes[0]}", blocks, $"node {other}");
        }

        Assert.Equal(upTo, (ulong)reference.Length);
        return reference;
    }

    /// <summary>Blocks <paramref name="expected"/> and <paramref name="actual"/> are identical, height by height.</summary>
    public static void SameBlocks(IReadOnlyList<CommittedBlockMessage> expected, string expectedName, IReadOnlyList<CommittedBlockMessage> actual, string actualName)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var k = 0; k < expected.Count; k++)
        {
            var e = expected[k];
            var a = actual[k];
            if (e.Height != a.Height || e.BlockHash != a.BlockHash || e.StateHash != a.StateHash)
            {
                throw new XunitException(
                    $"height {e.Height}: {expectedName} has block {e.BlockHash} state {e.StateHash}, {actualName} has height {a.Height} block {a.BlockHash} state {a.StateHash}");
            }

            var et = e.Transactions.Select(t => (t.Id, t.Verdict, t.Reason)).ToList();
            var at = a.Transactions.Select(t => (t.Id, t.Verdict, t.Reason)).ToList();
            if (!et.SequenceEqual(at))
            {
                throw new XunitException($"height {e.Height}: same block hash but different transaction results on {expectedName} ({et.Count}) and {actualName} ({at.Count})");
            }
        }
    }

    /// <summary>Each submitted transaction is in <paramref name="blocks"/> and applied exactly once (a re-offered copy may land again, refused).</summary>
    public static void AppliedOnce(IReadOnlyList<CommittedBlockMessage> blocks, IEnumerable<SubmittedTransaction> submitted) =>
        Applied(blocks, submitted, allowMissing: false);

    /// <summary>No submitted transaction is applied more than once in <paramref name="blocks"/> (it may be absent).</summary>
    public static void AppliedAtMostOnce(IReadOnlyList<CommittedBlockMessage> blocks, IEnumerable<SubmittedTransaction> submitted) =>
        Applied(blocks, submitted, allowMissing: true);

    private static void Applied(IReadOnlyList<CommittedBlockMessage> blocks, IEnumerable<SubmittedTransaction> submitted, bool allowMissing)
    {
        var byId = new Dictionary<Hash32, List<(ulong Height, TransactionResultEntry Entry)>>();
        foreach (var block in blocks)
        {
            foreach (var entry in block.Transactions)
            {
                if (!byId.TryGetValue(entry.Id, out var list))
                {
                    byId[entry.Id] = list = [];
                }

                list.Add((block.Height, entry));
            }
        }

        foreach (var tx in submitted)
        {
            if (!byId.TryGetValue(tx.Id, out var landed))
            {
                if (allowMissing)
                {
                    continue;
                }

                throw new XunitException($"{tx.What} ({tx.Id.ToShortString()}, submitted to node {tx.Node}) is in no block 1..{blocks.Count}");
            }

            var applied = landed.Count(l => l.Entry.Verdict == TransactionVerdicts.Applied);
            if (applied > 1 || (applied == 0 && !allowMissing))
            {
                var where = string.Join("; ", landed.Select(l => $"height {l.Height}: {TransactionVerdicts.Name(l.Entry.Verdict)} {l.Entry.Reason}"));
                throw new XunitException($"{tx.What} ({tx.Id.ToShortString()}, submitted to node {tx.Node}) was applied {applied} times: {where}");
            }
        }
    }
}
