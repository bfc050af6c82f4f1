using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CretoAI.Fast.Cli.Tests.Infrastructure;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Net;
using CretoAI.Fast.Net.Client;
using CretoAI.Fast.Wire.Client;
using Xunit.Sdk;

namespace CretoAI.Fast.Cli.Tests.ClusterProcesses;

/// <summary>
/// A local testnet made by <c>testnet init</c> in a fresh temp directory on a random free port range,
/// whose validators run as real <c>cretoai-fast node run</c> child processes on loopback. Gives each
/// node a cached <see cref="NodeClient"/>, polling waits with generous failure guards, and failure
/// messages that carry every node's state and log tail. Disposing kills every child still running
/// and removes the directory (kept, logs included, when CRETOAI_TEST_KEEP_CLUSTER=1).
/// </summary>
internal sealed class ProcessCluster : IAsyncDisposable
{
    /// <summary>Failure guard of one wait: generous, because the box is a loaded 2-core machine.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(120);

    private readonly string _root;
    private readonly NodeProcess?[] _processes;
    private readonly NodeLog[] _logs;
    private readonly int[] _starts;
    private readonly NodeClient?[] _clients;
    private readonly SemaphoreSlim[] _clientLocks;
    private readonly StatusMessage?[] _lastStatus;
    private readonly string?[] _lastError;
    private readonly KeyPair _identity = KeyPair.Generate();
    private readonly List<ProcessCluster> _companions = [];

    private ProcessCluster(string root, string testnet, int validators, int basePort, Hash32 chainId)
    {
        _root = root;
        Directory = testnet;
        Count = validators;
        BasePort = basePort;
        ChainId = chainId;
        _processes = new NodeProcess?[validators];
        _starts = new int[validators];
        _clients = new NodeClient?[validators];
        _clientLocks = [.. Enumerable.Range(0, validators).Select(_ => new SemaphoreSlim(1, 1))];
        _lastStatus = new StatusMessage?[validators];
        _lastError = new string?[validators];
        _logs = [.. Enumerable.Range(0, validators).Select(i => new NodeLog(System.IO.Path.Combine(NodeDirectory(i), "node.log")))];
    }

    /// <summary>The testnet directory (node0, node1, ...).</summary>
    public string Directory { get; }

    public int Count { get; }

    public int BasePort { get; }

    /// <summary>The chain id <c>testnet init</c> printed.</summary>
    public Hash32 ChainId { get; }

    public IReadOnlyList<int> All => [.. Enumerable.Range(0, Count)];

    /// <summary>Runs <c>testnet init --validators N --out DIR --base-port P</c> (the real command, in process).</summary>
    public static async Task<ProcessCluster> CreateAsync(int validators, params int[] avoidBasePorts)
    {
        var root = System.IO.Directory.CreateTempSubdirectory("cretoai-proc-").FullName;
        try
        {
            var basePort = FreeBasePort(validators, avoidBasePorts);
            var testnet = System.IO.Path.Combine(root, "testnet");
            var (exit, output, error) = await CliRun.RunAsync(
                "testnet", "init", "--validators", validators.ToString(CultureInfo.InvariantCulture), "--out", testnet, "--base-port", basePort.ToString(CultureInfo.InvariantCulture));
            if (exit != 0)
            {
                throw new XunitException($"testnet init exited with {exit}: {output}{error}");
            }

            // "chain-id HEX" is the first line.
            var chainLine = output.Split('\n').First(l => l.StartsWith("chain-id ", StringComparison.Ordinal));
            return new ProcessCluster(root, testnet, validators, basePort, Hash32.Parse(chainLine["chain-id ".Length..].Trim()));
        }
        catch
        {
            TryDelete(root);
            throw;
        }
    }

    /// <summary>Another testnet whose processes this cluster also reports on and disposes of.</summary>
    public async Task<ProcessCluster> CreateCompanionAsync(int validators)
    {
        var other = await CreateAsync(validators, BasePort);
        _companions.Add(other);
        return other;
    }

    public string NodeDirectory(int index) => System.IO.Path.Combine(Directory, "node" + index.ToString(CultureInfo.InvariantCulture));

    public string ConfigPath(int index) => System.IO.Path.Combine(NodeDirectory(index), "cretoai-fast.json");

    public string DataDirectory(int index) => System.IO.Path.Combine(NodeDirectory(index), "data");

    public IPEndPoint Endpoint(int index) => new(IPAddress.Loopback, BasePort + index);

    public string Address(int index) => Endpoint(index).ToString();

    public NodeProcess? Process(int index) => _processes[index];

    public NodeLog Log(int index) => _logs[index];

    /// <summary>Starts validator <paramref name="index"/> with its config (and any extra arguments, e.g. --set).</summary>
    public void Start(int index, params string[] extra)
    {
        if (_processes[index] is { HasExited: false })
        {
            throw new InvalidOperationException($"node {index} is already running");
        }

        _starts[index]++;
        _processes[index] = NodeProcess.Start(["node", "run", "--config", ConfigPath(index), .. extra], _logs[index]);
    }

    public void StartAll()
    {
        for (var i = 0; i < Count; i++)
        {
            Start(i);
        }
    }

    /// <summary>SIGKILL to node <paramref name="index"/>; returns when it is gone.</summary>
    public async Task KillAsync(int index, CancellationToken cancellationToken)
    {
        var process = _processes[index] ?? throw new InvalidOperationException($"node {index} was never started");
        await process.KillAsync(cancellationToken);
        await DropClientAsync(index);
    }

    /// <summary>SIGKILL to every node at once; returns when all are gone.</summary>
    public async Task KillAllAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_processes.Select(p => p?.KillAsync(cancellationToken) ?? Task.CompletedTask));
        for (var i = 0; i < Count; i++)
        {
            await DropClientAsync(i);
        }
    }

    /// <summary>A connected client of node <paramref name="index"/>, reconnecting (and retrying while the node starts) as needed.</summary>
    public async Task<NodeClient> ClientAsync(int index, CancellationToken cancellationToken)
    {
        await _clientLocks[index].WaitAsync(cancellationToken);
        try
        {
            if (_clients[index] is { IsConnected: true } connected)
            {
                return connected;
            }

            if (_clients[index] is { } stale)
            {
                _clients[index] = null;
                await stale.DisposeAsync();
            }

            while (true)
            {
                try
                {
                    var client = await NodeClient.ConnectAsync(Endpoint(index), _identity, new NodeClientOptions { ChainId = ChainId, ConnectTimeout = TimeSpan.FromSeconds(15) }, cancellationToken);
                    _clients[index] = client;
                    return client;
                }
                catch (Exception ex) when (ex is SocketException or IOException or TimeoutException or WireException && !cancellationToken.IsCancellationRequested)
                {
                    _lastError[index] = "connect: " + ex.Message;
                    if (_processes[index] is { HasExited: true } exited)
                    {
                        throw new XunitException($"node {index} exited with code {exited.ExitCode} while a client tried to connect", ex);
                    }

                    await Task.Delay(250, cancellationToken);
                }
            }
        }
        finally
        {
            _clientLocks[index].Release();
        }
    }

    /// <summary>The node's status, or null when it does not answer (down, starting, connection lost).</summary>
    public async Task<StatusMessage?> TryStatusAsync(int index, CancellationToken cancellationToken)
    {
        if (_processes[index] is null or { HasExited: true })
        {
            return null;
        }

        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        call.CancelAfter(TimeSpan.FromSeconds(20));
        try
        {
            var client = await ClientAsync(index, call.Token);
            var status = await client.StatusAsync(call.Token);
            _lastStatus[index] = status;
            return status;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not XunitException)
        {
            _lastError[index] = "status: " + ex.Message;
            return null;
        }
    }

    /// <summary>The node's status; fails the test when it does not answer.</summary>
    public async Task<StatusMessage> StatusAsync(int index, CancellationToken cancellationToken)
    {
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        call.CancelAfter(DefaultWait);
        var client = await ClientAsync(index, call.Token);
        var status = await client.StatusAsync(call.Token);
        _lastStatus[index] = status;
        return status;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; after <paramref name="timeout"/> fails with <paramref name="what"/>.</summary>
    public async Task WaitUntilAsync(string what, Func<CancellationToken, Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (!await condition(deadline.Token))
            {
                await Task.Delay(300, deadline.Token);
            }
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new XunitException($"timed out after {timeout.TotalSeconds:0} s waiting for: {what}", ex);
        }
    }

    /// <summary>Waits until every node of <paramref name="nodes"/> reports a committed height of at least <paramref name="height"/>.</summary>
    public Task WaitForHeightAsync(IReadOnlyList<int> nodes, ulong height, CancellationToken cancellationToken) =>
        WaitUntilAsync(
            $"nodes {string.Join(',', nodes)} at height >= {height}",
            async ct =>
            {
                foreach (var i in nodes)
                {
                    if (await TryStatusAsync(i, ct) is not { } status || status.Height < height)
                    {
                        return false;
                    }
                }

                return true;
            },
            DefaultWait,
            cancellationToken);

    /// <summary>The lowest committed height among <paramref name="nodes"/>.</summary>
    public async Task<ulong> MinHeightAsync(IReadOnlyList<int> nodes, CancellationToken cancellationToken)
    {
        var heights = new List<ulong>();
        foreach (var i in nodes)
        {
            heights.Add((await StatusAsync(i, cancellationToken)).Height);
        }

        return heights.Min();
    }

    /// <summary>Committed blocks <paramref name="from"/>..<paramref name="to"/> of node <paramref name="index"/> (requests pipelined); fails when one is missing.</summary>
    public async Task<CommittedBlockMessage[]> BlocksAsync(int index, ulong from, ulong to, CancellationToken cancellationToken)
    {
        if (to < from)
        {
            return [];
        }

        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        call.CancelAfter(DefaultWait);
        var client = await ClientAsync(index, call.Token);
        var requests = new List<Task<CommittedBlockMessage?>>();
        for (var h = from; h <= to; h++)
        {
            requests.Add(client.GetBlockAsync(h, call.Token));
        }

        var blocks = await Task.WhenAll(requests);
        var result = new CommittedBlockMessage[blocks.Length];
        for (var k = 0; k < blocks.Length; k++)
        {
            var expected = from + (ulong)k;
            var block = blocks[k] ?? throw new XunitException($"node {index} has no committed block at height {expected} (asked for {from}..{to})");
            if (block.Height != expected)
            {
                throw new XunitException($"node {index} answered GetBlock({expected}) with height {block.Height}");
            }

            result[k] = block;
        }

        return result;
    }

    /// <summary>
    /// Runs a test body with a token that cancels after <paramref name="overall"/>; any failure is
    /// rethrown with every node's process state, last status and log tail appended.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> body, TimeSpan overall)
    {
        using var guard = new CancellationTokenSource(overall);
        try
        {
            await body(guard.Token);
        }
        catch (Exception ex)
        {
            var what = ex is OperationCanceledException && guard.IsCancellationRequested
                ? $"the test did not finish within its {overall.TotalSeconds:0} s guard"
                : ex.GetType().Name + ": " + ex.Message;
            throw new XunitException(what + "\n" + Report(), ex);
        }
    }

    /// <summary>Every node's process state, last status, last client error and log tail.</summary>
    public string Report()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"==== cluster {Directory} (base port {BasePort}, chain {ChainId.ToShortString()}) ====\n");
        for (var i = 0; i < Count; i++)
        {
            var process = _processes[i];
            var state = process is null ? "never started" : process.HasExited ? $"exited with code {process.ExitCode}" : $"running, pid {process.Id}";
            var status = _lastStatus[i] is { } s
                ? $"height {s.Height} round {s.Round} links {s.ConnectedValidators} catching_up {s.CatchingUp} block {s.BlockHash.ToShortString()} state {s.StateHash.ToShortString()}"
                : "no status";
            text.Append(CultureInfo.InvariantCulture, $"---- node {i} ({state}, started {_starts[i]}x): last status: {status}; last client error: {_lastError[i] ?? "none"}\n");
            text.Append(_logs[i].Tail(40)).Append('\n');
        }

        foreach (var companion in _companions)
        {
            text.Append(companion.Report());
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var companion in _companions)
        {
            await companion.DisposeAsync();
        }

        for (var i = 0; i < Count; i++)
        {
            await DropClientAsync(i);
        }

        await Task.WhenAll(_processes.Select(p => p?.DisposeAsync().AsTask() ?? Task.CompletedTask));
        foreach (var log in _logs)
        {
            log.Dispose();
        }

        foreach (var gate in _clientLocks)
        {
            gate.Dispose();
        }

        _identity.Dispose();
        if (Environment.GetEnvironmentVariable("CRETOAI_TEST_KEEP_CLUSTER") != "1")
        {
            TryDelete(_root);
        }
    }

    /// <summary>A base port P with P..P+n-1 (nodes) and P+100..P+100+n-1 (metrics) free now, below the ephemeral port range.</summary>
    public static int FreeBasePort(int nodes, IReadOnlyCollection<int>? avoid = null)
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var candidate = 20_000 + (Random.Shared.Next(0, 12) * 1000) + Random.Shared.Next(0, 800);
            if (avoid is not null && avoid.Any(a => Math.Abs(a - candidate) < 200))
            {
                continue;
            }

            if (Enumerable.Range(0, nodes).All(i => IsFree(candidate + i) && IsFree(candidate + 100 + i)))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("no free port range found");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task DropClientAsync(int index)
    {
        await _clientLocks[index].WaitAsync();
        try
        {
            if (_clients[index] is { } client)
            {
                _clients[index] = null;
                await client.DisposeAsync();
            }
        }
        finally
        {
            _clientLocks[index].Release();
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the OS to clean.
        }
    }
}
