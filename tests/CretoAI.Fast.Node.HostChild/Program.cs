using System.Globalization;
using CretoAI.Fast.Core;
using CretoAI.Fast.Node.HostChild;
using CretoAI.Fast.Node.Hosting;
using CretoAI.Fast.Node.Replica;
using CretoAI.Fast.Node.Settings;
using Microsoft.Extensions.DependencyInjection;

// Usage: HostChild agents HOST:PORT COUNT SEED_BASE GO_FILE   (the agent swarm of the routing scale test)
//        HostChild [--metrics-listen host:port] [--start-delay-ms N] [--stop-delay-ms N]
//                  [--shutdown-timeout S] [--stop-ignores-cancel] [--fail-start config|io] [--feed]
if (args.Length == 5 && args[0] == "agents")
{
    return await AgentSwarm.RunAsync(
        System.Net.IPEndPoint.Parse(args[1]),
        int.Parse(args[2], CultureInfo.InvariantCulture),
        int.Parse(args[3], CultureInfo.InvariantCulture),
        args[4]);
}

var settings = new NodeSettings();
var startDelay = 0;
var stopDelay = 0;
var stopIgnoresCancel = false;
string? failStart = null;
var feed = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--metrics-listen":
            settings.MetricsListen = args[++i];
            break;
        case "--start-delay-ms":
            startDelay = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--stop-delay-ms":
            stopDelay = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--shutdown-timeout":
            settings.ShutdownTimeoutSeconds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--stop-ignores-cancel":
            stopIgnoresCancel = true;
            break;
        case "--fail-start":
            failStart = args[++i];
            break;
        case "--feed":
            feed = true;
            break;
        default:
            await Console.Error.WriteLineAsync($"unknown argument '{args[i]}'");
            return 64;
    }
}

return await ValidatorHost.RunAsync(new ValidatorHostOptions
{
    Settings = settings,
    NodeFactory = services =>
    {
        var observer = services.GetRequiredService<IReplicaObserver>();
        return new FakeValidatorNode
        {
            StartDelay = TimeSpan.FromMilliseconds(startDelay),
            StopDelay = TimeSpan.FromMilliseconds(stopDelay),
            StopHonoursCancellation = !stopIgnoresCancel,
            StartFailure = failStart switch
            {
                "config" => new InvalidSettingException("identity_key_file", "'node.key' is not an ML-DSA-87 private key."),
                "io" => new IOException("data_directory 'data': locked by another process"),
                _ => null,
            },
            OnStarted = feed ? () => ObserverScenario.FeedEveryEventOnce(observer) : null,
        };
    },
});
