using CretoAI.Fast.LoadGen.Engine;
using CretoAI.Fast.LoadGen.Modes;
using CretoAI.Fast.LoadGen.Tests.Infrastructure;
using Xunit;

namespace CretoAI.Fast.LoadGen.Tests;

/// <summary>
/// Short real runs: against an in-process cretoai-fast node over loopback TCP (authenticated
/// sessions), against a fake RESP server, and of the in-process verifier. They assert that the
/// counts add up, never how fast anything was.
/// </summary>
public sealed class LiveRunTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Closed_loop_ping_against_a_node_accounts_for_every_request()
    {
        await using var node = new TestNode();
        var plan = Plan("ping", node.Target, connections: 2, depth: 4, rates: null);

        var steps = await RunAsync(plan);

        var step = Assert.Single(steps);
        AssertCountsAddUp(step);
        Assert.Null(step.ServiceLatency);
        Assert.True(node.Counters.FramesReceived >= step.Sent, "the node saw every measured request");
    }

    [Fact]
    public async Task Open_loop_ramp_against_a_node_runs_one_step_per_rate()
    {
        await using var node = new TestNode();
        var plan = Plan("ping", node.Target, connections: 2, depth: 8, rates: [200, 400]);

        var steps = await RunAsync(plan);

        Assert.Equal([200.0, 400.0], steps.Select(s => s.OfferedRate!.Value));
        foreach (var step in steps)
        {
            AssertCountsAddUp(step);
            Assert.NotNull(step.ServiceLatency);

            // Every scheduled request of the window is sent: rate × seconds, to within one per worker.
            Assert.InRange(step.Sent, (long)(step.OfferedRate!.Value * step.MeasuredSeconds) - 2, (long)(step.OfferedRate.Value * step.MeasuredSeconds) + 2);

            // Corrected latency (from the intended time) can only be longer than service latency.
            Assert.True(step.Latency.Max >= step.ServiceLatency!.Max * 0.999);
        }
    }

    [Fact]
    public async Task Resp_ping_runs_the_same_driver_against_a_resp_server()
    {
        await using var server = FakeServer.Resp();

        var steps = await RunAsync(Plan("resp-ping", server.Target, connections: 2, depth: 16, rates: null));

        AssertCountsAddUp(Assert.Single(steps));
    }

    [Fact]
    public async Task Verify_mode_checks_presigned_batches_in_parallel()
    {
        var plan = Plan("verify", "127.0.0.1:1", connections: 2, depth: 2, rates: null);

        var steps = await RunAsync(plan);

        var step = Assert.Single(steps);
        Assert.Equal(2, step.ItemsPerRequest);
        AssertCountsAddUp(step);
    }

    [Fact]
    public void Batch_verifier_counts_only_valid_signatures()
    {
        var set = SignedMessageSet.Create(count: 4, keys: 2, messageBytes: 16);
        var verifier = SignatureBatchVerifier.CreateDefault();

        Assert.Equal(4, verifier.VerifyBatch(set, 0, 4));

        var tampered = new TamperingVerifier();
        Assert.Equal(0, new SignatureBatchVerifier(tampered).VerifyBatch(set, 0, 4));
        Assert.Equal(4, tampered.Calls);
    }

    // 1.5 s windows: no assertion depends on the length, but on a starved 2-core machine running other
    // test assemblies in parallel, a 0.5 s window after warm-up sometimes saw no reply at all.
    private static LoadPlan Plan(string mode, string target, int connections, int depth, double[]? rates) =>
        LoadGenCommand.BuildPlan(mode, target, connections, depth, payload: 16, duration: 1.5, warmup: 0.1, rates is null ? null : string.Join(',', rates), chainId: null, connectTimeout: 20, drain: 20);

    private static async Task<IReadOnlyList<StepResult>> RunAsync(LoadPlan plan)
    {
        using var timeout = new CancellationTokenSource(Generous);
        await using var mode = LoadModes.Create(plan);
        await mode.OpenAsync(timeout.Token);
        return await LoadRunner.RunAsync(plan, mode, _ => { }, timeout.Token);
    }

    private static void AssertCountsAddUp(StepResult step)
    {
        Assert.True(step.Succeeded > 0, "some requests succeeded");
        Assert.Equal(step.Sent, step.Succeeded + step.Failed);
        Assert.Equal(0, step.Failed);
        Assert.Equal(step.Succeeded, step.Latency.Count);
    }

    private sealed class TamperingVerifier : Crypto.ISignatureVerifier
    {
        public int Calls { get; private set; }

        public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature)
        {
            Calls++;
            var flipped = signature.ToArray();
            flipped[0] ^= 1;
            return Crypto.BouncyCastleMLDsa87.Instance.Verify(publicKey, message, context, flipped);
        }
    }
}
