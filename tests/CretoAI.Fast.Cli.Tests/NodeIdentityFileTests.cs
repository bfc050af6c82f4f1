using System.Diagnostics;
using System.Net;
using CretoAI.Fast.Cli.Tests.ClusterProcesses;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Crypto.Keys;
using CretoAI.Fast.Net;
using Xunit;

namespace CretoAI.Fast.Cli.Tests;

/// <summary><c>node run --identity FILE</c>: a node started from a key file is that identity on the wire.</summary>
public sealed class NodeIdentityFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cretoai-node-identity-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    [Fact]
    public async Task Node_started_with_a_key_file_authenticates_as_that_node_id()
    {
        var keyPath = Path.Combine(_directory, "validator.key");
        using (var generated = KeyPair.Generate())
        {
            generated.WritePrivateKeyFile(keyPath, overwrite: false);
        }

        using var identity = KeyPair.Load(keyPath);
        using var node = StartNode("node", "run", "--listen", "127.0.0.1:0", "--identity", keyPath);
        try
        {
            var (nodeId, endpoint) = await ReadListeningLineAsync(node);
            Assert.Equal(identity.NodeId.ToString(), nodeId);

            // The client refuses any server whose handshake signature is not by this node id.
            var client = new ClientOptions { ChainId = CliDefaults.DevnetChainId, ExpectedServerId = identity.NodeId };
            using var clientIdentity = KeyPair.Generate();
            await using var connection = await FrameClient.ConnectAsync(endpoint, client, clientIdentity, BouncyCastleMLDsa87.Instance);
            Assert.Equal([7, 8, 9], await connection.PingAsync(new byte[] { 7, 8, 9 }));
        }
        finally
        {
            node.Kill();
        }
    }

    [Fact]
    public async Task Node_refuses_a_world_readable_key_file_with_exit_two()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var keyPath = Path.Combine(_directory, "exposed.key");
        PrivateKeyFile.Write(keyPath, new byte[MLDsa87.SeedSize], overwrite: false);
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using var node = StartNode("node", "run", "--listen", "127.0.0.1:0", "--identity", keyPath);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stderr = await node.StandardError.ReadToEndAsync(deadline.Token);
        await node.WaitForExitAsync(deadline.Token);
        Assert.Equal(2, node.ExitCode);
        Assert.Contains("chmod 600", stderr, StringComparison.Ordinal);
    }

    private static Process StartNode(params string[] args)
    {
        var start = NodeProcess.CliStartInfo(args);
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the node");
    }

    private static async Task<(string NodeId, IPEndPoint Endpoint)> ReadListeningLineAsync(Process node)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await node.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            // "node <id> listening on 127.0.0.1:PORT chain <id>"
            var words = line.Split(' ');
            if (words.Length >= 5 && words[0] == "node" && words[2] == "listening" && words[3] == "on")
            {
                return (words[1], IPEndPoint.Parse(words[4]));
            }
        }

        throw new InvalidOperationException("the node exited before listening: " + await node.StandardError.ReadToEndAsync(deadline.Token));
    }
}
