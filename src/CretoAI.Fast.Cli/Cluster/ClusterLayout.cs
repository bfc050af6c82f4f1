using System.Globalization;
using System.Net;
using System.Text.Json;

namespace CretoAI.Fast.Cli.Cluster;

/// <summary>
/// The files of a local testnet as <c>testnet init</c> writes them (TestnetLayout): <c>DIR/node&lt;i&gt;/cretoai-fast.json</c>
/// for i = 0, 1, ... with node i on <c>127.0.0.1:(base port + i)</c>. A node's endpoint is read from
/// its config's <c>listen</c> setting when the file has one, so a testnet initialised with another
/// base port is still found; otherwise it is the base port + i. Logs go to <c>DIR/node&lt;i&gt;/node.log</c>.
/// </summary>
internal static class ClusterLayout
{
    public const string ConfigFileName = "cretoai-fast.json";

    public const string LogFileName = "node.log";

    public static string NodeDirectory(string directory, int index) => Path.Combine(directory, "node" + index.ToString(CultureInfo.InvariantCulture));

    public static string ConfigPath(string directory, int index) => Path.Combine(NodeDirectory(directory, index), ConfigFileName);

    /// <summary>Validators present: node0, node1, ... up to the first one without a config file.</summary>
    public static int CountNodes(string directory)
    {
        var count = 0;
        while (File.Exists(ConfigPath(directory, count)))
        {
            count++;
        }

        return count;
    }

    public static IReadOnlyList<ClusterNode> Load(string directory, int basePort)
    {
        var count = CountNodes(directory);
        var nodes = new ClusterNode[count];
        for (var i = 0; i < count; i++)
        {
            var config = ConfigPath(directory, i);
            var endpoint = TryReadListen(config) ?? new IPEndPoint(IPAddress.Loopback, basePort + i);
            nodes[i] = new ClusterNode(i, config, Path.Combine(NodeDirectory(directory, i), LogFileName), endpoint);
        }

        return nodes;
    }

    /// <summary>The <c>listen</c> setting (IP:PORT) of a node config file; null when absent or unreadable. A wildcard address is reached on loopback.</summary>
    internal static IPEndPoint? TryReadListen(string configPath)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(configPath), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (string.Equals(property.Name, "listen", StringComparison.OrdinalIgnoreCase)
                    && property.Value.ValueKind == JsonValueKind.String
                    && IPEndPoint.TryParse(property.Value.GetString() ?? string.Empty, out var endpoint)
                    && endpoint.Port != 0)
                {
                    if (endpoint.Address.Equals(IPAddress.Any))
                    {
                        return new IPEndPoint(IPAddress.Loopback, endpoint.Port);
                    }

                    return endpoint.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(IPAddress.IPv6Loopback, endpoint.Port) : endpoint;
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The arguments that run one validator.</summary>
    public static IReadOnlyList<string> RunArguments(ClusterNode node) => ["node", "run", "--config", node.ConfigPath];
}
