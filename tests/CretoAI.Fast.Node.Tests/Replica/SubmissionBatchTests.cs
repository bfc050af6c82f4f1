using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net.Client;
using CretoAI.Fast.Node.Tests.Infrastructure;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Node.Tests.Replica;

/// <summary>
/// Submissions over a client connection: the read loop only screens and defers them; the admission
/// worker answers each with the other submissions of its batch (one write per connection).
/// </summary>
public sealed class SubmissionBatchTests() : TempRootTests("cretoai-submit-")
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Pipelined_submissions_are_each_answered_once_with_their_own_outcome_and_id()
    {
        await using var cluster = new LocalCluster(4, Root);
        await cluster.StartAsync(0);
        using var identity = MLDsa87Signer.Generate();
        await using var client = await NodeClient.ConnectAsync(cluster.Settings(0).GetListenEndPoint(), identity, new NodeClientOptions { ConnectTimeout = Guard });

        var valid = Enumerable.Range(1, 40).Select(n => cluster.Payload(n % 4, (ulong)n, $"batch {n}")).ToList();
        var badSignature = cluster.Payload(1, 99, "forged");
        badSignature[^1] ^= 0x01;
        var wrongChain = cluster.Payload(2, 98, "elsewhere");
        wrongChain[16] ^= 0xFF;
        var malformed = new byte[] { 1, 2, 3 };

        // Sent back to back without waiting, so the worker takes many of them in one batch; the
        // first valid envelope goes twice (both in flight together), and refusals sit between.
        var envelopes = new List<(byte[] Envelope, SubmitStatus Expected)>();
        envelopes.AddRange(valid.Take(20).Select(e => (e, SubmitStatus.Accepted)));
        envelopes.Add((valid[0], SubmitStatus.Duplicate));
        envelopes.Add((badSignature, SubmitStatus.BadSignature));
        envelopes.Add((wrongChain, SubmitStatus.WrongChain));
        envelopes.Add((malformed, SubmitStatus.Malformed));
        envelopes.AddRange(valid.Skip(20).Select(e => (e, SubmitStatus.Accepted)));

        var replies = envelopes.Select(e => client.SubmitAsync(e.Envelope)).ToList();
        var results = await Task.WhenAll(replies).WaitAsync(Guard);

        for (var i = 0; i < envelopes.Count; i++)
        {
            Assert.Equal(Sha3.Hash256(envelopes[i].Envelope), results[i].TransactionId);
        }

        // Both copies were in flight together; the one sent first is admitted, the other refused.
        Assert.Equal(envelopes.Select(e => e.Expected), results.Select(r => r.Status));
        Assert.Contains("signature", results[21].Detail, StringComparison.Ordinal);
        Assert.Equal(40, cluster.Nodes[0]!.LiveStatus().MempoolTransactions);

        // Submitted again later, every valid one is now a duplicate, refused without a second admission.
        var again = await Task.WhenAll(valid.Select(e => client.SubmitAsync(e))).WaitAsync(Guard);
        Assert.All(again, r => Assert.Equal(SubmitStatus.Duplicate, r.Status));
        Assert.Equal(40, cluster.Nodes[0]!.LiveStatus().MempoolTransactions);
    }

    [Fact]
    public async Task With_the_mempool_full_a_transaction_already_in_it_is_a_duplicate_and_a_new_one_is_busy()
    {
        await using var cluster = new LocalCluster(4, Root, configure: s => s.MempoolMaxTransactions = 5);
        await cluster.StartAsync(0);
        using var identity = MLDsa87Signer.Generate();
        await using var client = await NodeClient.ConnectAsync(cluster.Settings(0).GetListenEndPoint(), identity, new NodeClientOptions { ConnectTimeout = Guard });
        var held = Enumerable.Range(1, 5).Select(n => cluster.Payload(1, (ulong)n, $"held {n}")).ToList();
        var accepted = await Task.WhenAll(held.Select(e => client.SubmitAsync(e))).WaitAsync(Guard);
        Assert.All(accepted, r => Assert.Equal(SubmitStatus.Accepted, r.Status));

        var fresh = cluster.Payload(2, 1, "one too many");
        var answers = await Task.WhenAll(client.SubmitAsync(held[2]), client.SubmitAsync(fresh)).WaitAsync(Guard);

        Assert.Equal(SubmitStatus.Duplicate, answers[0].Status);
        Assert.Equal(Sha3.Hash256(held[2]), answers[0].TransactionId);
        Assert.Equal(SubmitStatus.Busy, answers[1].Status);
        Assert.Equal(Sha3.Hash256(fresh), answers[1].TransactionId);
        Assert.Contains("mempool full", answers[1].Detail, StringComparison.Ordinal);
    }
}
