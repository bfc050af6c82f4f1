using System.Net;

namespace CretoAI.Fast.Cli.Cluster;

/// <summary>One validator of a local testnet: its directory's config file, its log file and its client endpoint.</summary>
internal sealed record ClusterNode(int Index, string ConfigPath, string LogPath, IPEndPoint Endpoint);
