using System.Diagnostics;
using System.Net;
using CretoAI.Fast.Cli.Tests.ClusterProcesses;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net;
using Xunit;

namespace CretoAI.Fast.Cli.Tests;

/// <summary>
/// Runs <c>cretoai-fast node run</c> as a real child process, talks to it over TCP, and stops it the
/// way systemd or an operator does: SIGTERM must give a graceful stop and exit code 0.
/// </summary>
public class NodeProcessTests
{
    [Fact]
    public async Task Node_serves_pings_across_processes_and_exits_zero_on_sigterm()
    {
        using var node = StartNode("node", "run", "--listen", "127.0.0.1:0", "--log-level", "Information");
        var endpoint = await ReadListeningEndpointAsync(node);

        var signer = BouncyCastleMLDsa87.CreateSigner(new byte[32]);
        await using (var client = await FrameClient.ConnectAsync(endpoint, new ClientOptions { ChainId = CliDefaults.DevnetChainId }, signer, BouncyCastleMLDsa87.Instance))
        {
            Assert.Equal([1, 2, 3], await client.PingAsync(new byte[] { 1, 2, 3 }));
        }

        using var kill = Process.Start("kill", ["-TERM", node.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await node.WaitForExitAsync(deadline.Token);
        Assert.Equal(0, node.ExitCode);
    }

    [Fact]
    public async Task Node_refuses_a_listen_address_in_use_with_exit_two()
    {
        using var first = StartNode("node", "run", "--listen", "127.0.0.1:0");
        var endpoint = await ReadListeningEndpointAsync(first);

        using var second = StartNode("node", "run", "--listen", endpoint.ToString());
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await second.WaitForExitAsync(deadline.Token);
        Assert.Equal(2, second.ExitCode);
        Assert.Contains("Cannot listen on", await second.StandardError.ReadToEndAsync(deadline.Token), StringComparison.Ordinal);

        first.Kill();
    }

    private static Process StartNode(params string[] args)
    {
        var start = NodeProcess.CliStartInfo(args);
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the node");
    }

    private static async Task<IPEndPoint> ReadListeningEndpointAsync(Process node)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await node.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            // "node <id> listening on 127.0.0.1:PORT chain <id>"
            var words = line.Split(' ');
            var at = Array.IndexOf(words, "on");
            if (words.Length > at + 1 && at > 0 && words[at - 1] == "listening")
            {
                return IPEndPoint.Parse(words[at + 1]);
            }
        }

        throw new InvalidOperationException("the node exited before listening: " + await node.StandardError.ReadToEndAsync(deadline.Token));
    }
}
