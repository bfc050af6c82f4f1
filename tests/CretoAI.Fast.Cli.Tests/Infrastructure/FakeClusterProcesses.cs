using System.Collections.Concurrent;
using System.Globalization;
using CretoAI.Fast.Cli.Cluster;
using CretoAI.Fast.Net.Tests.Infrastructure;
using CretoAI.Fast.Node.Settings;

namespace CretoAI.Fast.Cli.Tests.Infrastructure;

/// <summary>
/// Stands in for the host of <c>cluster up</c>: creating a testnet writes node configs with free
/// loopback ports (or, with <see cref="RealTestnet"/>, runs testnet init's own code), and each
/// <c>node run</c> is an in-process FrameServer; all of them serve one shared
/// <see cref="FakeNode"/>, as validators serve one chain.
/// </summary>
internal sealed class FakeClusterProcesses : IClusterHost
{
    public FakeNode Node { get; } = FakeNodeServer.NewNode();

    /// <summary>Every testnet creation asked for: directory, validators, base port.</summary>
    public ConcurrentQueue<(string Directory, int Validators, int BasePort)> Created { get; } = new();

    public ConcurrentQueue<(IReadOnlyList<string> Arguments, string LogPath)> Starts { get; } = new();

    public ConcurrentQueue<FakeChild> Children { get; } = new();

    /// <summary>When set, creating a testnet throws this (as testnet init does for a bad directory).</summary>
    public Exception? CreateFails { get; set; }

    /// <summary>When true, testnets are created by the real testnet init code (real keys, genesis and configs).</summary>
    public bool RealTestnet { get; set; }

    /// <summary>Indexes of nodes whose process exits at once with code 3, writing a line to its log.</summary>
    public HashSet<int> Failing { get; } = [];

    public void CreateTestnet(string directory, int validators, int basePort)
    {
        Created.Enqueue((directory, validators, basePort));
        if (CreateFails is { } failure)
        {
            throw failure;
        }

        if (RealTestnet)
        {
            new LocalClusterHost().CreateTestnet(directory, validators, basePort);
            return;
        }

        for (var i = 0; i < validators; i++)
        {
            WriteNodeConfig(directory, i, FakeNodeServer.ClosedPort());
        }
    }

    public IClusterChild StartNode(IReadOnlyList<string> arguments, string logPath)
    {
        Starts.Enqueue((arguments, logPath));
        var config = arguments[3];
        var index = int.Parse(Path.GetFileName(Path.GetDirectoryName(config))!["node".Length..], CultureInfo.InvariantCulture);
        FakeChild child;
        if (Failing.Contains(index))
        {
            File.AppendAllText(logPath, "error: cannot open the store: disk full\n");
            child = new FakeChild(null, exitCode: 3);
        }
        else
        {
            var endpoint = TestnetDirectory.TryReadListen(config) ?? throw new InvalidOperationException($"no listen in {config}");
            child = new FakeChild(FakeNodeServer.Start(endpoint, Node), exitCode: null);
        }

        Children.Enqueue(child);
        return child;
    }

    public static void WriteNodeConfig(string directory, int index, int port)
    {
        var nodeDirectory = TestnetDirectory.NodeDirectory(directory, index);
        Directory.CreateDirectory(nodeDirectory);
        File.WriteAllText(Path.Combine(nodeDirectory, TestnetDirectory.ConfigFileName), $$"""{ "listen": "127.0.0.1:{{port}}", "genesis_file": "genesis.json" }""");
    }

    internal sealed class FakeChild : IClusterChild
    {
        private static int _nextId = 90_000;

        private readonly FakeNodeServer? _server;
        private Task _stopped;
        private int? _exitCode;

        public FakeChild(FakeNodeServer? server, int? exitCode)
        {
            _server = server;
            _exitCode = exitCode;
            _stopped = exitCode is null ? new TaskCompletionSource().Task : Task.CompletedTask;
            Id = Interlocked.Increment(ref _nextId);
        }

        public int Id { get; }

        public bool Terminated { get; private set; }

        public bool HasExited => _exitCode is not null;

        public int? ExitCode => _exitCode;

        public void Terminate()
        {
            Terminated = true;
            Stop();
        }

        public void Kill() => Stop();

        public async Task WaitForExitAsync(CancellationToken cancellationToken) => await _stopped.WaitAsync(cancellationToken);

        public void Dispose()
        {
        }

        private void Stop()
        {
            if (_server is null || _exitCode is not null)
            {
                return;
            }

            _stopped = StopAsync(_server);
        }

        private async Task StopAsync(FakeNodeServer server)
        {
            await server.DisposeAsync();
            _exitCode = 0;
        }
    }
}
