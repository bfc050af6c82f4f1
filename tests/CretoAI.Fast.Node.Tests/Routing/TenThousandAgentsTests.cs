using CretoAI.Fast.Node.HostChild;
using CretoAI.Fast.Node.Tests.Infrastructure;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Routing.Router;
using CretoAI.Fast.Routing.Tests.Router;
using Xunit.Abstractions;

namespace CretoAI.Fast.Node.Tests.Routing;

/// <summary>
/// 10,000 agents logged in to one node at once over loopback, each sending one message to the next
/// and receiving one from the previous. The node runs here; the agents run in a child process
/// (<see cref="AgentSwarm"/>), so neither process needs more than about 10,000 file descriptors
/// (this machine's hard limit is 20,000 and cannot be raised without CAP_SYS_RESOURCE).
/// </summary>
public sealed class TenThousandAgentsTests(ITestOutputHelper output) : IDisposable
{
    private const int Agents = 10_000;
    private const int SeedBase = 0x10_000;
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(10);
    private readonly string _goFile = Path.Combine(Path.GetTempPath(), $"cretoai-swarm-go-{Guid.NewGuid():N}");

    public void Dispose() => File.Delete(_goFile);

    [Fact]
    public async Task Ten_thousand_concurrent_agents_each_send_and_receive()
    {
        var directory = new FakeDirectory();
        for (var i = 0; i < Agents; i++)
        {
            using var key = AgentSwarm.Key(SeedBase, i);
            directory.Set(key.NodeId, AgentStatus.Active);
        }

        var settings = new RouterSettings { VerifyQueueCapacity = 2 * Agents };
        await using var host = RouterHost.Start(directory, settings, maxConnections: Agents + 100);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        using var swarm = new HostChildProcess(new Dictionary<string, string?>(), "agents", host.EndPoint.ToString(), Agents.ToString(System.Globalization.CultureInfo.InvariantCulture), SeedBase.ToString(System.Globalization.CultureInfo.InvariantCulture), _goFile);

        var deadline = DateTime.UtcNow + Guard;
        while (host.Router.ConnectedAgents < Agents)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{host.Router.ConnectedAgents} of {Agents} agents logged in; child output: {swarm.Output}");
            Assert.DoesNotContain("Unhandled", swarm.Output, StringComparison.Ordinal);
            await Task.Delay(200);
        }

        Assert.True(host.Server.ActiveConnections >= Agents);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"{Agents} agents logged in; node's managed heap +{(after - before) / Agents:N0} bytes per idle agent connection");

        await File.WriteAllTextAsync(_goFile, "go");
        var exit = await swarm.WaitForExitAsync(Guard);
        output.WriteLine(swarm.Output);
        Assert.True(exit == 0, $"agent swarm exited {exit}: {swarm.Output}");
        Assert.Contains($"{Agents} delivered, 0 refused, 0 wrong receipts", swarm.Output, StringComparison.Ordinal);
        Assert.Equal(Agents, host.Router.Counters.Delivered);
        Assert.Equal(Agents, host.Router.Counters.Answered(RouteStatus.Delivered));
    }
}
