using System.Net;
using CretoAI.Fast.Node.Settings;

namespace CretoAI.Fast.Cli.Cluster;

/// <summary>
/// The files of a local testnet as <c>testnet init</c> writes them (TestnetLayout), read through <see cref="TestnetDirectory"/>: <c>DIR/node&lt;i&gt;/cretoai-fast.json</c>
/// for i = 0, 1, ... with node i on <c>127.0.0.1:(base port + i)</c>. A node's endpoint is read from
/// its config's <c>listen</c> setting when the file has one, so a testnet initialised with another
/// base port is still found; otherwise it is the base port + i. Logs go to <c>DIR/node&lt;i&gt;/node.log</c>.
/// </summary>
internal static class ClusterLayout
{
    public const string LogFileName = "node.log";

    public static IReadOnlyList<ClusterNode> Load(string directory, int basePort)
    {
        var count = TestnetDirectory.CountNodes(directory);
        var nodes = new ClusterNode[count];
        for (var i = 0; i < count; i++)
        {
            var config = TestnetDirectory.ConfigPath(directory, i);
            var endpoint = TestnetDirectory.TryReadListen(config) ?? new IPEndPoint(IPAddress.Loopback, basePort + i);
            nodes[i] = new ClusterNode(i, config, Path.Combine(TestnetDirectory.NodeDirectory(directory, i), LogFileName), endpoint);
        }

        return nodes;
    }

    /// <summary>The arguments that run one validator.</summary>
    public static IReadOnlyList<string> RunArguments(ClusterNode node) => ["node", "run", "--config", node.ConfigPath];
}
