using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Net;
using CretoAI.Fast.Net.Client;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Client;
using CretoAI.Fast.Wire.Transactions;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CretoAI.Fast.Cli.Tests.ClusterProcesses;

/// <summary>Multi-process cluster tests share the machine's two cores: they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterProcessCollection
{
    public const string Name = "cluster processes";
}

/// <summary>
/// Real validators as child processes (<c>dotnet cretoai-fast.dll node run --config ...</c> of a
/// testnet made by <c>testnet init</c>), talking over loopback TCP: agreement on every block and
/// state, crash (SIGKILL) and restart of one and of all validators, hostile peers and bytes, and a
/// clean SIGTERM stop. Timeouts are failure guards only; nothing asserts on timing.
/// </summary>
[Collection(ClusterProcessCollection.Name)]
public sealed partial class ClusterProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TestGuard = TimeSpan.FromMinutes(6);

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Progress for the test's output (never asserted on).</summary>
    private void Note(string text) => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,6:0.0} s] {text}"));

    [Fact]
    public async Task Four_validators_commit_100_blocks_with_transactions_and_agree_on_every_block_and_state()
    {
        await using var cluster = await ProcessCluster.CreateAsync(4);
        using var agents = new ClusterAgents(8, "t1");
        await cluster.RunAsync(
            async ct =>
            {
                cluster.StartAll();
                await cluster.WaitForHeightAsync(cluster.All, 1, ct);

                // 8 fresh agents, two per node: each registers (nonce 1) and sends 4 payloads (nonces 2..5).
                var submitted = await agents.SubmitAsync(cluster, cluster.All, payloads: 4, ct);
                Assert.Equal(40, submitted.Count);
                Note($"{submitted.Count} transactions accepted");
                await new CommitScanner(cluster, 0).WaitForAsync(submitted, ct);
                Note("all committed");

                await cluster.WaitForHeightAsync(cluster.All, 100, ct);
                var upTo = await cluster.MinHeightAsync(cluster.All, ct);
                var blocks = await ChainAssert.SameChainAsync(cluster, cluster.All, upTo, ct);
                ChainAssert.AppliedOnce(blocks, submitted);
                Note($"4 nodes agree on blocks 1..{upTo}; {blocks.Count(b => b.Transactions.Count > 0)} of them hold transactions");

                // Every node counts the same committed transactions up to the compared height.
                var inBlocks = blocks.Sum(b => b.Transactions.Count);
                Assert.True(inBlocks >= submitted.Count, $"{inBlocks} transactions in blocks 1..{upTo}");

                // The operator's view agrees: `block --json` of the height holding the first registration.
                var first = submitted[0];
                var holding = blocks.First(b => b.Transactions.Any(t => t.Id == first.Id));
                using var json = await RunCliJsonAsync(ct, "block", "--node", cluster.Address(3), "--height", holding.Height.ToString(CultureInfo.InvariantCulture), "--json");
                var root = json.RootElement;
                Assert.Equal(holding.Height, root.GetProperty("height").GetUInt64());
                Assert.Equal(holding.BlockHash.ToString(), root.GetProperty("block_hash").GetString());
                Assert.Equal(holding.StateHash.ToString(), root.GetProperty("state_hash").GetString());
                Assert.Equal(holding.Transactions.Count, root.GetProperty("transaction_count").GetInt32());
                var listed = root.GetProperty("transactions").EnumerateArray().Single(t => t.GetProperty("id").GetString() == first.Id.ToString());
                Assert.Equal("applied", listed.GetProperty("verdict").GetString());
            },
            TestGuard);
    }

    [Fact]
    public async Task A_validator_killed_with_sigkill_catches_up_after_restart_and_no_committed_block_changes()
    {
        const int Victim = 2;
        int[] survivors = [0, 1, 3];
        await using var cluster = await ProcessCluster.CreateAsync(4);
        using var agents = new ClusterAgents(4, "t2");
        using var outage = new ClusterAgents(3, "t2o");
        await cluster.RunAsync(
            async ct =>
            {
                cluster.StartAll();
                await cluster.WaitForHeightAsync(cluster.All, 1, ct);
                var before = await agents.SubmitAsync(cluster, cluster.All, payloads: 2, ct);
                await new CommitScanner(cluster, Victim).WaitForAsync(before, ct);

                // What the victim has committed just before the crash.
                var preKill = (await cluster.StatusAsync(Victim, ct)).Height;
                var recorded = await cluster.BlocksAsync(Victim, 1, preKill, ct);
                await cluster.KillAsync(Victim, ct);
                Assert.NotEqual(0, cluster.Process(Victim)!.ExitCode);
                Note($"node {Victim} killed at height {preKill} (exit code {cluster.Process(Victim)!.ExitCode})");

                // The other three keep committing, transactions included, without it.
                var atKill = await cluster.MinHeightAsync(survivors, ct);
                var during = await outage.SubmitAsync(cluster, survivors, payloads: 2, ct);
                await cluster.WaitForHeightAsync(survivors, atKill + 20, ct);
                await new CommitScanner(cluster, 0).WaitForAsync(during, ct);

                Note($"survivors went from {atKill} to >= {atKill + 20} without it; restarting it");

                // Restarted with the same config, it catches up with the others as they are at each check.
                cluster.Start(Victim);
                await cluster.WaitUntilAsync(
                    $"restarted node {Victim} at the others' height and not catching up",
                    async c =>
                    {
                        ulong others = ulong.MaxValue;
                        foreach (var i in survivors)
                        {
                            if (await cluster.TryStatusAsync(i, c) is not { } s)
                            {
                                return false;
                            }

                            others = Math.Min(others, s.Height);
                        }

                        return await cluster.TryStatusAsync(Victim, c) is { CatchingUp: false } mine && mine.Height >= others;
                    },
                    ProcessCluster.DefaultWait,
                    ct);

                var upTo = (await cluster.StatusAsync(Victim, ct)).Height;
                Note($"node {Victim} caught up at height {upTo}");
                Assert.True(upTo >= atKill + 20, $"caught up to {upTo}, the others were at {atKill} + 20 before the restart");
                await cluster.WaitForHeightAsync(cluster.All, upTo, ct);
                var blocks = await ChainAssert.SameChainAsync(cluster, [Victim, .. survivors], upTo, ct);
                ChainAssert.SameBlocks(recorded, $"node {Victim} before SIGKILL", blocks[..recorded.Length], $"node {Victim} after restart");
                ChainAssert.AppliedOnce(blocks, [.. before, .. during]);

                // And it takes part again: it links up with every other validator and keeps committing.
                await cluster.WaitUntilAsync(
                    $"node {Victim} linked to the 3 other validators",
                    async c => await cluster.TryStatusAsync(Victim, c) is { ConnectedValidators: 3 },
                    ProcessCluster.DefaultWait,
                    ct);
                await cluster.WaitForHeightAsync(cluster.All, upTo + 5, ct);
            },
            TestGuard);
    }

    [Fact]
    public async Task All_validators_killed_with_sigkill_keep_their_committed_prefix_and_resume_after_restart()
    {
        await using var cluster = await ProcessCluster.CreateAsync(4);
        using var agents = new ClusterAgents(4, "t3");
        using var crashLoad = new ClusterAgents(4, "t3c");
        await cluster.RunAsync(
            async ct =>
            {
                cluster.StartAll();
                await cluster.WaitForHeightAsync(cluster.All, 1, ct);
                var before = await agents.SubmitAsync(cluster, cluster.All, payloads: 2, ct);
                await new CommitScanner(cluster, 0).WaitForAsync(before, ct);
                await cluster.WaitForHeightAsync(cluster.All, 10, ct);

                // More transactions, still in flight (admitted, not waited for) when everything is killed.
                var inFlight = await crashLoad.SubmitAsync(cluster, cluster.All, payloads: 3, ct);

                var pre = new ulong[cluster.Count];
                var recorded = new CommittedBlockMessage[cluster.Count][];
                foreach (var i in cluster.All)
                {
                    pre[i] = (await cluster.StatusAsync(i, ct)).Height;
                    recorded[i] = await cluster.BlocksAsync(i, 1, pre[i], ct);
                }

                await cluster.KillAllAsync(ct);
                Note($"all killed at heights {string.Join(',', pre)}; restarting");
                cluster.StartAll();
                await cluster.WaitForHeightAsync(cluster.All, pre.Max() + 10, ct);
                Note($"all past height {pre.Max() + 10}");

                foreach (var i in cluster.All)
                {
                    var now = await cluster.BlocksAsync(i, 1, pre[i], ct);
                    ChainAssert.SameBlocks(recorded[i], $"node {i} before SIGKILL", now, $"node {i} after restart");
                }

                var upTo = await cluster.MinHeightAsync(cluster.All, ct);
                var blocks = await ChainAssert.SameChainAsync(cluster, cluster.All, upTo, ct);
                ChainAssert.AppliedOnce(blocks, before);

                // A transaction in a block committed before the crash is still there; one that was only in a
                // mempool may be lost with it, but none is ever applied twice.
                var committedBeforeKill = recorded.SelectMany(r => r).SelectMany(b => b.Transactions).Select(t => t.Id).ToHashSet();
                ChainAssert.AppliedOnce(blocks, inFlight.Where(t => committedBeforeKill.Contains(t.Id)));
                ChainAssert.AppliedAtMostOnce(blocks, inFlight);
                Note($"{inFlight.Count(t => committedBeforeKill.Contains(t.Id))} of {inFlight.Count} in-flight transactions were committed before the kill; {inFlight.Count(t => blocks.Any(b => b.Transactions.Any(e => e.Id == t.Id && e.Verdict == TransactionVerdicts.Applied)))} are applied after the restart");

                // The ledger's account nonces survived the crash: each agent's next nonce is applied.
                var after = new List<SubmittedTransaction>();
                foreach (var k in cluster.All)
                {
                    var envelope = agents.NextPayload(k, cluster.ChainId, $"t3 agent {k} after the restart");
                    after.Add(await ClusterAgents.SubmitOneAsync(cluster, k, envelope, $"payload of t3-agent-{k} after the restart", ct));
                }

                await new CommitScanner(cluster, 1).WaitForAsync(after, ct);
                var final = await cluster.MinHeightAsync(cluster.All, ct);
                ChainAssert.AppliedOnce(await ChainAssert.SameChainAsync(cluster, cluster.All, final, ct), [.. before, .. after]);
            },
            TestGuard);
    }

    [Fact]
    public async Task Hostile_peers_and_bytes_are_refused_and_the_cluster_keeps_committing()
    {
        const int Target = 1;
        await using var cluster = await ProcessCluster.CreateAsync(4);
        using var signer = KeyPair.Generate();
        await cluster.RunAsync(
            async ct =>
            {
                cluster.StartAll();
                await cluster.WaitForHeightAsync(cluster.All, 1, ct);

                // (a) A validator of another genesis, told to dial this cluster, is refused at the handshake.
                var foreign = await cluster.CreateCompanionAsync(4);
                foreign.Start(0, "--set", "peers=" + string.Join(',', cluster.All.Select(cluster.Address)));
                var foreignChain = foreign.ChainId.ToString();
                await cluster.WaitUntilAsync(
                    "a node of the first cluster logging that it refused the foreign validator's handshake (chain mismatch)",
                    _ => Task.FromResult(cluster.All.Any(i => cluster.Log(i).ReadAll().Split('\n').Any(l => l.Contains("handshake refused", StringComparison.Ordinal) && l.Contains(foreignChain, StringComparison.Ordinal)))),
                    ProcessCluster.DefaultWait,
                    ct);
                Note("the foreign validator was refused");
                var afterForeign = await cluster.MinHeightAsync(cluster.All, ct);
                await cluster.WaitForHeightAsync(cluster.All, afterForeign + 10, ct);
                var foreignStatus = await foreign.StatusAsync(0, ct);
                Assert.Equal(0, foreignStatus.ConnectedValidators);
                Assert.Equal(0UL, foreignStatus.Height);
                Assert.Contains("Validator link to " + cluster.Address(0) + " is down", foreign.Log(0).ReadAll(), StringComparison.Ordinal);
                await cluster.WaitUntilAsync(
                    "every node linked to exactly the 3 other validators",
                    async c =>
                    {
                        foreach (var i in cluster.All)
                        {
                            if (await cluster.TryStatusAsync(i, c) is not { ConnectedValidators: 3 })
                            {
                                return false;
                            }
                        }

                        return true;
                    },
                    ProcessCluster.DefaultWait,
                    ct);

                // ... and so is a client that names another chain.
                var wrongChain = await Assert.ThrowsAsync<WireException>(() => NodeClient.ConnectAsync(cluster.Endpoint(Target), signer, new NodeClientOptions { ChainId = foreign.ChainId }, ct));
                Assert.Equal(WireErrorCode.ChainIdMismatch, wrongChain.Code);

                // (b) Raw bytes: garbage, then a header declaring more than any node accepts; each connection is closed.
                var garbage = new byte[64 * 1024];
                Random.Shared.NextBytes(garbage);
                garbage[0] = 0xFF;
                var answer = await SendRawUntilClosedAsync(cluster.Endpoint(Target), garbage, ct);
                AssertErrorFrameOrNothing(answer, WireErrorCode.BadMagic);
                Note($"garbage: connection closed after {answer.Length} bytes of answer");

                // Garbage behind a valid magic and version: some later header check or the checksum refuses it.
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    Random.Shared.NextBytes(garbage);
                    garbage[0] = FrameHeader.MagicByte0;
                    garbage[1] = FrameHeader.MagicByte1;
                    garbage[2] = FrameHeader.CurrentVersion;
                    answer = await SendRawUntilClosedAsync(cluster.Endpoint(Target), garbage, ct);
                    AssertErrorFrameOrNothing(answer, expected: null);
                }

                var oversized = Header(MessageType.Hello, WireLimits.AbsoluteMaxPayloadLength + 1);
                answer = await SendRawUntilClosedAsync(cluster.Endpoint(Target), oversized, ct);
                Assert.Equal(WireErrorCode.FrameTooLarge, ErrorCodeOf(answer));

                // After an authenticated handshake: a Ping declaring one byte more than the node's announced limit.
                await using (var session = await FrameClient.ConnectAsync(cluster.Endpoint(Target), new ClientOptions { ChainId = cluster.ChainId }, signer, MLDsa87SignatureVerifier.Instance, ct))
                {
                    await session.Output.WriteAsync(Header(MessageType.Ping, session.Limits.MaxPayloadLength + 1), ct);
                    await session.Output.FlushAsync(ct);
                    var reply = await ReadUntilCompletedAsync(session, ct);
                    Assert.Equal(WireErrorCode.FrameTooLarge, ErrorCodeOf(reply));
                }

                Note("oversized headers: connections closed with FrameTooLarge");

                // The node still accepts and serves new clients, and keeps committing.
                ulong afterBytes;
                await using (var fresh = await NodeClient.ConnectAsync(cluster.Endpoint(Target), signer, new NodeClientOptions { ChainId = cluster.ChainId }, ct))
                {
                    afterBytes = (await fresh.StatusAsync(ct)).Height;
                }

                await cluster.WaitForHeightAsync(cluster.All, afterBytes + 10, ct);

                // (c) A transaction whose signature has one byte flipped is refused at admission and never committed.
                var valid = AgentTransactions.Payload(signer, cluster.ChainId, 1, "t4 payload"u8);
                var corrupted = (byte[])valid.Clone();
                corrupted[corrupted.Length - SignedTransaction.SignatureSize + Random.Shared.Next(SignedTransaction.SignatureSize)] ^= 0x5A;
                var corruptedId = TransactionIds.Of(corrupted);
                foreach (var node in cluster.All)
                {
                    var refused = await (await cluster.ClientAsync(node, ct)).SubmitAsync(corrupted, ct);
                    Assert.Equal(SubmitStatus.BadSignature, refused.Status);
                    Assert.Equal(corruptedId, refused.TransactionId);
                    Assert.Contains("signature does not verify", refused.Detail, StringComparison.Ordinal);
                }

                // The same transaction correctly signed, with the same nonce, is applied: the refusal consumed nothing.
                var accepted = await ClusterAgents.SubmitOneAsync(cluster, Target, valid, "the correctly signed t4 payload (nonce 1)", ct);
                await new CommitScanner(cluster, 0).WaitForAsync([accepted], ct);
                var upTo = await cluster.MinHeightAsync(cluster.All, ct);
                var blocks = await ChainAssert.SameChainAsync(cluster, cluster.All, upTo, ct);
                ChainAssert.AppliedOnce(blocks, [accepted]);
                Note($"corrupted transaction refused by every node; checked blocks 1..{upTo}");
                var landed = blocks.Where(b => b.Transactions.Any(t => t.Id == corruptedId)).Select(b => b.Height).ToList();
                Assert.True(landed.Count == 0, $"the corrupted transaction {corruptedId} is in block(s) {string.Join(',', landed)}");
            },
            TestGuard);
    }

    [Fact]
    public async Task A_validator_stopped_with_sigterm_exits_zero_after_a_shutdown_checkpoint()
    {
        const int Victim = 1;
        await using var cluster = await ProcessCluster.CreateAsync(4);
        using var agents = new ClusterAgents(2, "t5");
        await cluster.RunAsync(
            async ct =>
            {
                cluster.StartAll();
                await cluster.WaitForHeightAsync(cluster.All, 1, ct);
                var before = await agents.SubmitAsync(cluster, [Victim], payloads: 2, ct);
                await new CommitScanner(cluster, Victim).WaitForAsync(before, ct);
                await cluster.WaitForHeightAsync(cluster.All, 10, ct);

                // The node's own shutdown timeout (the config's default), plus time for the process to exit on a loaded box.
                var shutdownTimeout = TimeSpan.FromSeconds(15);
                var process = cluster.Process(Victim)!;
                process.Terminate();
                using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    deadline.CancelAfter(shutdownTimeout + TimeSpan.FromSeconds(15));
                    try
                    {
                        await process.WaitForExitAsync(deadline.Token);
                    }
                    catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
                    {
                        throw new XunitException($"node {Victim} did not exit within {shutdownTimeout.TotalSeconds:0} s (+15 s) of SIGTERM", ex);
                    }
                }

                Assert.Equal(0, process.ExitCode);
                Note($"node {Victim} exited with code 0 after SIGTERM");
                var log = cluster.Log(Victim).ReadAll();
                var checkpoint = CheckpointLine().Match(log);
                Assert.True(checkpoint.Success, "no 'Checkpoint (shutdown) at height N' line in the log");
                var checkpointHeight = ulong.Parse(checkpoint.Groups["height"].Value, CultureInfo.InvariantCulture);
                Assert.True(checkpointHeight >= 10, $"shutdown checkpoint at height {checkpointHeight}");
                var checkpoints = Path.Combine(cluster.DataDirectory(Victim), "checkpoints");
                Assert.True(Directory.Exists(checkpoints) && Directory.EnumerateFileSystemEntries(checkpoints).Any(), $"{checkpoints} is missing or empty");

                // The others carry on; restarted, it recovers from that checkpoint and rejoins.
                var atStop = await cluster.MinHeightAsync([0, 2, 3], ct);
                await cluster.WaitForHeightAsync([0, 2, 3], atStop + 5, ct);
                cluster.Start(Victim);
                await cluster.WaitForHeightAsync([Victim], atStop + 5, ct);
                var recovered = RecoveredLine().Matches(cluster.Log(Victim).ReadAll());
                Assert.True(recovered.Count >= 2, "no 'Recovered ...' line for the restart");
                var restart = recovered[^1];
                Note(restart.Value);
                Assert.NotEqual("none", restart.Groups["checkpoint"].Value);
                Assert.True(ulong.Parse(restart.Groups["height"].Value, CultureInfo.InvariantCulture) >= checkpointHeight, restart.Value);
                var upTo = await cluster.MinHeightAsync(cluster.All, ct);
                ChainAssert.AppliedOnce(await ChainAssert.SameChainAsync(cluster, cluster.All, upTo, ct), before);
            },
            TestGuard);
    }

    [GeneratedRegex(@"Checkpoint \(shutdown\) at height (?<height>\d+)", RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 10_000)]
    private static partial Regex CheckpointLine();

    [GeneratedRegex(@"Recovered in \d+ ms: checkpoint (?<checkpoint>\S+), committed height (?<height>\d+)", RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 10_000)]
    private static partial Regex RecoveredLine();

    /// <summary>A frame header (checksum left zero: the length check comes first) declaring <paramref name="payloadLength"/> bytes.</summary>
    private static byte[] Header(MessageType type, int payloadLength)
    {
        var header = new byte[FrameHeader.Size];
        new FrameHeader(FrameFlags.None, type, 0, payloadLength).WritePrefix(header);
        return header;
    }

    /// <summary>The error code of the Error frame that <paramref name="bytes"/> start with.</summary>
    private static WireErrorCode ErrorCodeOf(byte[] bytes)
    {
        Assert.True(bytes.Length >= FrameHeader.Size + 4, $"expected an Error frame before the close, got {bytes.Length} bytes");
        Assert.Equal(FrameHeader.Magic, BinaryPrimitives.ReadUInt16LittleEndian(bytes));
        Assert.Equal((ushort)MessageType.Error, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        return (WireErrorCode)BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(FrameHeader.Size));
    }

    /// <summary>A node that closes on garbage may reset the connection before its Error frame arrives; what did arrive must be that frame.</summary>
    private static void AssertErrorFrameOrNothing(byte[] bytes, WireErrorCode? expected)
    {
        if (bytes.Length > 0)
        {
            var code = ErrorCodeOf(bytes);
            if (expected is { } wanted)
            {
                Assert.Equal(wanted, code);
            }
        }
    }

    /// <summary>Writes <paramref name="data"/> on a fresh TCP connection and reads until the node closes it (the guard fails the test otherwise).</summary>
    private static async Task<byte[]> SendRawUntilClosedAsync(IPEndPoint endpoint, byte[] data, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint, cancellationToken);
        try
        {
            await socket.SendAsync(data, SocketFlags.None, cancellationToken);
        }
        catch (SocketException)
        {
            // The node may close before it has read everything.
        }

        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(ProcessCluster.DefaultWait);
        using var received = new MemoryStream();
        var buffer = new byte[4096];
        while (true)
        {
            int count;
            try
            {
                count = await socket.ReceiveAsync(buffer, SocketFlags.None, guard.Token);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                break;
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new XunitException($"{endpoint} kept the connection open for {ProcessCluster.DefaultWait.TotalSeconds:0} s after {data.Length} hostile bytes", ex);
            }

            if (count == 0)
            {
                break;
            }

            received.Write(buffer, 0, count);
        }

        return received.ToArray();
    }

    /// <summary>Reads an authenticated session's input until the node closes it.</summary>
    private static async Task<byte[]> ReadUntilCompletedAsync(FrameClient session, CancellationToken cancellationToken)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(ProcessCluster.DefaultWait);
        using var received = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await session.Input.ReadAsync(guard.Token);
                foreach (var segment in result.Buffer)
                {
                    received.Write(segment.Span);
                }

                session.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // Reset by the node: the connection is closed either way.
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new XunitException($"the node kept the session open for {ProcessCluster.DefaultWait.TotalSeconds:0} s after an oversized frame header", ex);
        }

        return received.ToArray();
    }

    /// <summary>Runs <c>cretoai-fast ARGS</c> as a child process and parses its standard output as JSON.</summary>
    private static async Task<JsonDocument> RunCliJsonAsync(CancellationToken cancellationToken, params string[] args)
    {
        var start = NodeProcess.CliStartInfo(args);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start cretoai-fast");
        try
        {
            using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            guard.CancelAfter(ProcessCluster.DefaultWait);
            var output = process.StandardOutput.ReadToEndAsync(guard.Token);
            var error = process.StandardError.ReadToEndAsync(guard.Token);
            await process.WaitForExitAsync(guard.Token);
            Assert.True(process.ExitCode == 0, $"cretoai-fast {string.Join(' ', args)} exited with {process.ExitCode}: {await output}{await error}");
            return JsonDocument.Parse(await output);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
