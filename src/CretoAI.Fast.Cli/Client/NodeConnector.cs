using System.Net;
using System.Net.Sockets;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Net;
using CretoAI.Fast.Net.Client;
using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Cli.Client;

/// <summary>Opens a <see cref="NodeClient"/> for a command, turning every way it can fail into one line for the operator.</summary>
internal static class NodeConnector
{
    /// <summary>Parses <c>--node HOST:PORT</c>; a bad value is a usage error.</summary>
    public static EndPoint ParseNode(string? text) =>
        EndpointParser.TryParse(text, out var endpoint, out var error) ? endpoint! : throw new InvalidSettingException("--node", error);

    /// <summary>
    /// Connects and completes the handshake, or throws <see cref="CommandFailedException"/> with
    /// "cannot connect to HOST:PORT: reason".
    /// </summary>
    public static async Task<NodeClient> ConnectAsync(string nodeText, EndPoint endpoint, Hash32 chainId, IMessageSigner identity, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await NodeClient.ConnectAsync(endpoint, identity, new NodeClientOptions { ChainId = chainId, ConnectTimeout = timeout }, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new CommandFailedException($"cannot connect to {nodeText}: {Describe(ex)}", ex);
        }
        catch (TimeoutException ex)
        {
            throw new CommandFailedException($"cannot connect to {nodeText}: no handshake within {timeout.TotalSeconds:0.#} s", ex);
        }
        catch (WireException ex) when (ex.Code == WireErrorCode.ChainIdMismatch)
        {
            throw new CommandFailedException($"cannot connect to {nodeText}: the node serves another chain than --chain-id {chainId}", ex);
        }
        catch (WireException ex)
        {
            throw new CommandFailedException($"cannot connect to {nodeText}: handshake failed: {WireErrorCodes.Describe(ex.Code)}", ex);
        }
        catch (IOException ex)
        {
            throw new CommandFailedException($"cannot connect to {nodeText}: {ex.Message}", ex);
        }
    }

    /// <summary>A socket error as a short lower-case phrase ("connection refused").</summary>
    public static string Describe(SocketException ex) => ex.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
        SocketError.TimedOut => "timed out",
        SocketError.NetworkUnreachable or SocketError.NetworkDown => "network unreachable",
        SocketError.HostUnreachable or SocketError.HostDown => "host unreachable",
        SocketError.ConnectionReset => "connection reset by the node",
        SocketError.AddressNotAvailable => "address not available",
        _ => ex.Message,
    };
}
