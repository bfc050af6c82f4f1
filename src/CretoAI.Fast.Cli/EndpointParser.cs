using System.Globalization;
using System.Net;

namespace CretoAI.Fast.Cli;

/// <summary>Parses HOST:PORT, [IPv6]:PORT and bare ports given on the command line.</summary>
internal static class EndpointParser
{
    public static bool TryParse(string? text, out EndPoint? endpoint, out string error)
    {
        endpoint = null;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "an endpoint is required, as HOST:PORT (for example 127.0.0.1:7400)";
            return false;
        }

        if (IPEndPoint.TryParse(text, out var ip) && ip.Port != 0 && text.Contains(':', StringComparison.Ordinal))
        {
            endpoint = ip;
            return true;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = $"'{text}' is not HOST:PORT (for example 127.0.0.1:7400)";
            return false;
        }

        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"'{text}' has no valid port (1..65535)";
            return false;
        }

        var host = text[..colon];
        endpoint = IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
        return true;
    }

    /// <summary>For listening: the host must be an IP address (port 0 picks a free port).</summary>
    public static bool TryParseListen(string? text, out IPEndPoint? endpoint, out string error)
    {
        endpoint = null;
        error = string.Empty;
        if (!IPEndPoint.TryParse(text ?? string.Empty, out var ip) || !(text ?? string.Empty).Contains(':', StringComparison.Ordinal))
        {
            error = $"'{text}' is not IP:PORT (for example 127.0.0.1:7400, or 0.0.0.0:7400 for all interfaces)";
            return false;
        }

        endpoint = ip;
        return true;
    }
}
