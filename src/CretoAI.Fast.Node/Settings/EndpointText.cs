using System.Globalization;
using System.Net;

namespace CretoAI.Fast.Node.Settings;

/// <summary>
/// Parses the endpoint settings: <c>IP:PORT</c> for addresses this node listens on,
/// <c>HOST:PORT</c> (IPv4, <c>[IPv6]</c> or a DNS name) for peers. Ports are 1..65535: a validator's
/// port is part of its peers' configuration, so "any free port" (0) makes no sense here.
/// </summary>
internal static class EndpointText
{
    /// <summary>A listen address: an IP literal and a port; null and an error sentence otherwise.</summary>
    public static IPEndPoint? ParseListen(string text, out string error)
    {
        if (!SplitPort(text, out var host, out var port, out error))
        {
            return null;
        }

        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (!IPAddress.TryParse(literal, out var address) || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !host.StartsWith('[')))
        {
            error = $"'{text}': '{host}' is not an IP address (use 127.0.0.1, 0.0.0.0 for every interface, or [::1]).";
            return null;
        }

        return new IPEndPoint(address, port);
    }

    /// <summary>A peer address: an IP literal or a DNS name, and a port; null and an error sentence otherwise.</summary>
    public static EndPoint? ParsePeer(string text, out string error)
    {
        if (!SplitPort(text, out var host, out var port, out error))
        {
            return null;
        }

        if (host.StartsWith('['))
        {
            if (!host.EndsWith(']') || !IPAddress.TryParse(host[1..^1], out var v6))
            {
                error = $"'{text}': '{host}' is not a bracketed IPv6 address.";
                return null;
            }

            return new IPEndPoint(v6, port);
        }

        if (IPAddress.TryParse(host, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return new IPEndPoint(address, port);
        }

        if (Uri.CheckHostName(host) != UriHostNameType.Dns)
        {
            error = $"'{text}': '{host}' is neither an IP address nor a host name.";
            return null;
        }

        return new DnsEndPoint(host, port);
    }

    private static bool SplitPort(string text, out string host, out int port, out string error)
    {
        host = string.Empty;
        port = 0;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty; expected HOST:PORT, for example 127.0.0.1:7400.";
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1 || (text.Contains(':', StringComparison.Ordinal) && text.IndexOf(':', StringComparison.Ordinal) != colon && !text.StartsWith('[')))
        {
            error = $"'{text}' is not HOST:PORT (for example 127.0.0.1:7400, or [::1]:7400 for IPv6).";
            return false;
        }

        var portText = text.AsSpan(colon + 1);
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            error = $"'{text}': '{portText}' is not a valid port (1..65535).";
            return false;
        }

        host = text[..colon];
        return true;
    }
}
