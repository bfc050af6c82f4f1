using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CretoAI.Fast.Cli.Client;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net.Client;
using CretoAI.Fast.Wire.Client;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Cli.Cluster;

/// <summary>
/// Open-loop load for <c>cluster up</c>: <see cref="Rate"/> signed transactions per second, sent on
/// schedule whatever the replies, from <c>agents</c> load agents (fresh ML-DSA-87 keys, so nonces
/// start at 1 on every run). Agent j always uses node j mod N, so each agent's nonces reach one
/// node in order over one pipelined connection. Each agent is registered once first when this
/// build can sign agent registrations; then it sends payload transactions with increasing nonces.
/// Commit latency is the time from the submit call to the commit notice listing the transaction.
/// At most <see cref="MaxOutstanding"/> submissions wait for an answer; beyond that the schedule is
/// skipped (counted) rather than queued, so a stalled cluster cannot grow this process's memory.
/// </summary>
internal sealed class ClusterLoad
{
    public const int MaxOutstanding = 8192;

    // Transactions whose commit we are waiting to see; bounded so that a cluster that never commits
    // does not grow it without limit (later ones are then sent but not timed).
    private const int MaxTracked = 200_000;

    private readonly IReadOnlyList<NodeLink> _links;
    private readonly ConcurrentDictionary<Hash32, long> _submittedAt = new();
    private readonly CommitLatencies _latencies;
    private IMessageSigner[] _agents = [];
    private ulong[] _nonces = [];
    private long _submitted;
    private long _accepted;
    private long _refused;
    private long _failed;
    private long _skipped;
    private long _committed;
    private int _outstanding;

    public ClusterLoad(IReadOnlyList<NodeLink> links, int agents, double rate, CommitLatencies latencies)
    {
        _links = links;
        AgentCount = agents;
        Rate = rate;
        _latencies = latencies;
    }

    public int AgentCount { get; }

    public double Rate { get; }

    public long Submitted => Interlocked.Read(ref _submitted);

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Refused => Interlocked.Read(ref _refused);

    public long Failed => Interlocked.Read(ref _failed);

    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Load transactions seen in commit notices.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>Creates the agents' keys and registers each agent once (when this build can).</summary>
    public async Task PrepareAsync(TextWriter log, CancellationToken cancellationToken)
    {
        var agents = new IMessageSigner[AgentCount];
        await Parallel.ForAsync(0, agents.Length, cancellationToken, (i, _) =>
        {
            agents[i] = MLDsa87Signer.Generate();
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);
        _agents = agents;
        _nonces = new ulong[agents.Length];

        if (!TransactionEnvelopes.AgentTransactionsAvailable)
        {
            await log.WriteLineAsync($"load: {AgentCount} agents send payload transactions (agent registration needs CretoAI.Fast.Routing, not in this build)").ConfigureAwait(false);
            return;
        }

        for (var i = 0; i < agents.Length; i++)
        {
            if (_links[i % _links.Count].Current is { } client)
            {
                // Fresh keys every run, so the name carries the key's short id: names stay distinct
                // on a testnet that persists from run to run.
                var envelope = TransactionEnvelopes.AgentTransaction(TransactionKindOption.AgentRegister, agents[i], client.ChainId, ++_nonces[i], $"load-agent-{i}-{agents[i].NodeId.ToShortString()}", ["load"]);
                Send(client, envelope);
            }
        }
    }

    /// <summary>Offers the load until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long issued = 0;
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        try
        {
            while (await tick.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var due = (long)(clock.Elapsed.TotalSeconds * Rate);
                while (issued < due)
                {
                    if (Volatile.Read(ref _outstanding) >= MaxOutstanding)
                    {
                        Interlocked.Add(ref _skipped, due - issued);
                        issued = due;
                        break;
                    }

                    IssueOne(issued);
                    issued++;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    /// <summary>Called for every committed block the follower sees: times the load transactions in it.</summary>
    public void OnCommitted(CommittedBlockMessage block)
    {
        foreach (var entry in block.Transactions)
        {
            if (_submittedAt.TryRemove(entry.Id, out var at))
            {
                _latencies.Record(Stopwatch.GetElapsedTime(at));
                Interlocked.Increment(ref _committed);
            }
        }
    }

    private void IssueOne(long sequence)
    {
        var agent = (int)(sequence % _agents.Length);
        if (_links[agent % _links.Count].Current is not { } client)
        {
            // Its node is down: nothing is sent, the nonce is not used.
            Interlocked.Increment(ref _failed);
            return;
        }

        var nonce = ++_nonces[agent];
        var body = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"load agent {agent} tx {nonce}"));
        Send(client, TransactionEnvelopes.Payload(_agents[agent], client.ChainId, nonce, body));
    }

    private void Send(NodeClient client, byte[] envelope)
    {
        var id = TransactionIds.Of(envelope);
        if (_submittedAt.Count < MaxTracked)
        {
            _submittedAt[id] = Stopwatch.GetTimestamp();
        }

        Interlocked.Increment(ref _submitted);
        Interlocked.Increment(ref _outstanding);

        // The submit call queues the frame before it returns, so one agent's transactions leave in
        // nonce order; the answer is awaited off this loop.
        _ = AwaitAdmissionAsync(client.SubmitAsync(envelope), id);
    }

    private async Task AwaitAdmissionAsync(Task<SubmitResultMessage> submission, Hash32 id)
    {
        try
        {
            var result = await submission.ConfigureAwait(false);
            if (SubmitStatuses.IsAdmitted(result.Status))
            {
                Interlocked.Increment(ref _accepted);
            }
            else
            {
                Interlocked.Increment(ref _refused);
                _submittedAt.TryRemove(id, out _);
            }
        }
        catch (Exception ex) when (ex is Net.WireException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            Interlocked.Increment(ref _failed);
            _submittedAt.TryRemove(id, out _);
        }
        finally
        {
            Interlocked.Decrement(ref _outstanding);
        }
    }
}
