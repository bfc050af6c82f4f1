using System.Net;
using Xunit;

namespace CretoAI.Fast.Cli.Tests;

public class EndpointParserTests
{
    [Theory]
    [InlineData("127.0.0.1:7400", "127.0.0.1", 7400)]
    [InlineData("[::1]:9000", "::1", 9000)]
    public void Parses_ip_endpoints(string text, string address, int port)
    {
        Assert.True(EndpointParser.TryParse(text, out var endpoint, out _));
        var ip = Assert.IsType<IPEndPoint>(endpoint);
        Assert.Equal(IPAddress.Parse(address), ip.Address);
        Assert.Equal(port, ip.Port);
    }

    [Fact]
    public void Parses_host_names_as_dns_endpoints()
    {
        Assert.True(EndpointParser.TryParse("localhost:7400", out var endpoint, out _));
        var dns = Assert.IsType<DnsEndPoint>(endpoint);
        Assert.Equal("localhost", dns.Host);
        Assert.Equal(7400, dns.Port);
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1")]
    [InlineData("host:")]
    [InlineData(":7400")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:abc")]
    public void Rejects_bad_endpoints_with_a_message(string text)
    {
        Assert.False(EndpointParser.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("127.0.0.1:0")]
    [InlineData("0.0.0.0:7400")]
    public void Listen_accepts_ip_and_port(string text) =>
        Assert.True(EndpointParser.TryParseListen(text, out _, out _));

    [Theory]
    [InlineData("localhost:7400")]
    [InlineData("7400")]
    [InlineData("")]
    public void Listen_rejects_names_and_bare_ports(string text)
    {
        Assert.False(EndpointParser.TryParseListen(text, out _, out var error));
        Assert.Contains("IP:PORT", error, StringComparison.Ordinal);
    }
}
