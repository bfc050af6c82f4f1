using System.Net.Sockets;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net;
using CretoAI.Fast.Net.Client;

namespace CretoAI.Fast.Cli.Cluster;

/// <summary>
/// The monitor's connection to one node, reconnected when it drops (a node restarting, or not up
/// yet). The load, the status poller and the commit follower share it: requests are pipelined on
/// one connection per node.
/// </summary>
internal sealed class NodeLink(ClusterNode node, IMessageSigner identity) : IAsyncDisposable
{
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private NodeClient? _client;

    public ClusterNode Node { get; } = node;

    /// <summary>The connected client, or null while the node is unreachable.</summary>
    public NodeClient? Current => _client is { IsConnected: true } client ? client : null;

    /// <summary>Why the last connection attempt failed; empty once connected.</summary>
    public string LastError { get; private set; } = "not connected yet";

    /// <summary>The connected client, connecting first if needed; null (with <see cref="LastError"/>) when the node cannot be reached now.</summary>
    public async Task<NodeClient?> ConnectAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Current is { } connected)
        {
            return connected;
        }

        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Current is { } raced)
            {
                return raced;
            }

            if (_client is { } dead)
            {
                _client = null;
                await dead.DisposeAsync().ConfigureAwait(false);
            }

            try
            {
                _client = await NodeClient.ConnectAsync(Node.Endpoint, identity, new NodeClientOptions { ChainId = Hash32.Zero, ConnectTimeout = timeout }, cancellationToken).ConfigureAwait(false);
                LastError = string.Empty;
                return _client;
            }
            catch (SocketException ex)
            {
                LastError = Client.NodeConnector.Describe(ex);
            }
            catch (Exception ex) when (ex is WireException or TimeoutException or IOException)
            {
                LastError = ex.Message;
            }

            return null;
        }
        finally
        {
            _connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connecting.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_client is { } client)
            {
                _client = null;
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _connecting.Release();
        }
    }
}
