using System.Net;
using System.Net.Sockets;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Node.Chain;
using CretoAI.Fast.Node.Replica;
using CretoAI.Fast.Node.Settings;
using CretoAI.Fast.Wire.Transactions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CretoAI.Fast.Node.Tests.Replica;

/// <summary>N validators in this process on loopback with real sockets and real storage, for replica tests.</summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private readonly KeyPair[] _keys;
    private readonly NodeSettings[] _settings;
    private readonly ILoggerFactory _loggers;

    public LocalCluster(int count, string root, ILoggerFactory? loggers = null, long roundTimeoutMs = 400, Action<NodeSettings>? configure = null)
    {
        _loggers = loggers ?? (Environment.GetEnvironmentVariable("CRETOAI_TEST_LOG") is "1" ? LoggerFactory.Create(b => b.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ").SetMinimumLevel(LogLevel.Debug)) : NullLoggerFactory.Instance);
        Root = root;
        _keys = new KeyPair[count];
        var validators = new GenesisValidator[count];
        for (var i = 0; i < count; i++)
        {
            var seed = new byte[32];
            Array.Fill(seed, (byte)(0x40 + i));
            _keys[i] = KeyPair.FromSeed(seed);
            validators[i] = new GenesisValidator($"node{i}", _keys[i].PublicKey.ToArray(), 100_000, 500_000, 10_000);
        }

        Genesis = new ChainGenesis
        {
            ChainName = "cretoai-replica-test",
            GenesisTimeMs = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000,
            EpochLengthBlocks = 100_000,
            Validators = validators,
            BaseRoundTimeoutMs = roundTimeoutMs,
            MaxTransactionsPerBlock = 64,
        };
        var ports = FreePorts(count);
        _settings = new NodeSettings[count];
        Nodes = new ValidatorNode?[count];
        for (var i = 0; i < count; i++)
        {
            var s = new NodeSettings
            {
                DataDirectory = Path.Combine(root, $"node{i}", "data"),
                Listen = $"127.0.0.1:{ports[i]}",
                CheckpointEveryBlocks = 25,
            };
            for (var j = 0; j < count; j++)
            {
                if (j != i)
                {
                    s.Peers.Add($"127.0.0.1:{ports[j]}");
                }
            }

            configure?.Invoke(s);
            _settings[i] = s;
        }
    }

    public string Root { get; }

    public ChainGenesis Genesis { get; }

    public ValidatorNode?[] Nodes { get; }

    public KeyPair Key(int i) => _keys[i];

    public async Task StartAsync(int i, bool openStorageEarly = false)
    {
        // As the daemon does: storage opening on a pool thread before the node exists.
        var storage = openStorageEarly ? StorageOpening.Start(_settings[i]) : null;
        try
        {
            var node = new ValidatorNode(_settings[i], Genesis, _keys[i], _loggers, storage: storage);
            await node.StartAsync(CancellationToken.None);
            Nodes[i] = node;
        }
        finally
        {
            storage?.Dispose();
        }
    }

    public NodeSettings Settings(int i) => _settings[i];

    public async Task StartAllAsync()
    {
        for (var i = 0; i < Nodes.Length; i++)
        {
            await StartAsync(i);
        }
    }

    public async Task StopAsync(int i)
    {
        if (Nodes[i] is { } node)
        {
            Nodes[i] = null;
            await node.DisposeAsync();
        }
    }

    /// <summary>Waits until every running node has committed at least <paramref name="height"/>.</summary>
    public async Task WaitForHeightAsync(ulong height, TimeSpan timeout, params int[] which)
    {
        var deadline = DateTime.UtcNow + timeout;
        var indexes = which.Length > 0 ? which : Enumerable.Range(0, Nodes.Length).Where(i => Nodes[i] is not null).ToArray();
        while (indexes.Any(i => Nodes[i]!.Status.Height < height))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Heights after {timeout.TotalSeconds} s: {string.Join(", ", indexes.Select(i => $"node{i}={Nodes[i]!.Status.Height}"))}; wanted {height}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A signed payload transaction from validator <paramref name="signer"/>'s key.</summary>
    public byte[] Payload(int signer, ulong nonce, string text)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(text);
        var bytes = new byte[SignedTransaction.EncodedLength(body.Length)];
        var signed = SignedTransaction.WriteUnsigned(bytes, TransactionKind.Payload, nonce, Genesis.ChainId, _keys[signer].PublicKey.Span, body);
        _keys[signer].Sign(bytes.AsSpan(0, signed), SignedTransaction.SignatureContext, bytes.AsSpan(signed));
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < Nodes.Length; i++)
        {
            await StopAsync(i);
        }

        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }

    private static int[] FreePorts(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var l = new TcpListener(IPAddress.Loopback, 0);
                l.Start();
                listeners.Add(l);
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var l in listeners)
            {
                l.Stop();
            }
        }
    }
}
