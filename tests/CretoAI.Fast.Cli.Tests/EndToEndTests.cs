using System.Net;
using System.Net.Sockets;
using Xunit;

namespace CretoAI.Fast.Cli.Tests;

/// <summary>Runs commands the way a user does, through the parsed command line, against real sockets.</summary>
public class EndToEndTests
{
    [Fact]
    public async Task Demo_runs_a_node_and_real_round_trips_and_exits_zero()
    {
        using var output = new StringWriter();
        var exit = await Program.BuildRoot()
            .Parse(["demo", "--matrix", "1x1,2x4", "--duration", "0.5", "--warmup", "0"])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output });
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task Ping_against_a_closed_port_exits_two()
    {
        // Find a port with nothing listening: bind, read the port, close.
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var exit = await Program.BuildRoot()
            .Parse(["ping", "--node", $"127.0.0.1:{port}", "--duration", "0.2", "--warmup", "0"])
            .InvokeAsync();
        Assert.Equal(2, exit);
    }

    [Fact]
    public async Task Node_run_refuses_an_unparsable_listen_address_with_exit_two()
    {
        var exit = await Program.BuildRoot().Parse(["node", "run", "--listen", "localhost:7400"]).InvokeAsync();
        Assert.Equal(2, exit);
    }
}
