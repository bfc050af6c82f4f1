using System.Globalization;
using System.Net;
using System.Text.Json;

namespace CretoAI.Fast.Node.Settings;

/// <summary>
/// Reads the files of a local testnet as <c>cretoai-fast testnet init</c> writes them:
/// <c>DIR/node&lt;i&gt;/cretoai-fast.json</c> (the node's settings) and <c>DIR/node&lt;i&gt;/genesis.json</c>
/// (the same in every node) for i = 0, 1, ... Used by the tools that find a testnet's nodes
/// (<c>cluster up</c>, the load harness); the writing side is <c>testnet init</c>.
/// </summary>
public static class TestnetDirectory
{
    /// <summary>A node's settings file name.</summary>
    public const string ConfigFileName = "cretoai-fast.json";

    /// <summary>A node's genesis file name.</summary>
    public const string GenesisFileName = "genesis.json";

    /// <summary><c>DIR/node&lt;index&gt;</c>.</summary>
    public static string NodeDirectory(string directory, int index) => Path.Combine(directory, "node" + index.ToString(CultureInfo.InvariantCulture));

    /// <summary>Node <paramref name="index"/>'s settings file.</summary>
    public static string ConfigPath(string directory, int index) => Path.Combine(NodeDirectory(directory, index), ConfigFileName);

    /// <summary>Node <paramref name="index"/>'s genesis file.</summary>
    public static string GenesisPath(string directory, int index) => Path.Combine(NodeDirectory(directory, index), GenesisFileName);

    /// <summary>Validators present: node0, node1, ... up to the first one without a settings file.</summary>
    public static int CountNodes(string directory)
    {
        var count = 0;
        while (File.Exists(ConfigPath(directory, count)))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// The <c>listen</c> setting (IP:PORT) of a node settings file; null when absent or unreadable.
    /// A wildcard address is reached on loopback.
    /// </summary>
    public static IPEndPoint? TryReadListen(string configPath)
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
}
