using CretoAI.Fast.Core;
using CretoAI.Fast.Net.Tests.Infrastructure;
using Xunit;

namespace CretoAI.Fast.Net.Tests;

public sealed class TransportOptionsTests
{
    [Fact]
    public void Defaults_with_a_chain_id_are_valid()
    {
        TestServer.Options().Validate();
    }

    [Fact]
    public void Zero_chain_id_is_refused()
    {
        var ex = Assert.Throws<InvalidSettingException>(() => new TransportOptions().Validate());
        Assert.Equal(nameof(TransportOptions.ChainId), ex.Setting);
        Assert.Contains(nameof(TransportOptions.ChainId), ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void MaxConnections_below_one_is_refused(int value)
    {
        AssertRefused(o => o.MaxConnections = value, nameof(TransportOptions.MaxConnections));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(16 * 1024 - 1)]
    [InlineData(16 * 1024 * 1024 + 1)]
    [InlineData(64 * 1024 * 1024)]
    public void MaxPayloadLength_out_of_range_is_refused(int value)
    {
        AssertRefused(o => o.MaxPayloadLength = value, nameof(TransportOptions.MaxPayloadLength));
    }

    [Theory]
    [InlineData(16 * 1024)]
    [InlineData(16 * 1024 * 1024)]
    public void MaxPayloadLength_at_the_bounds_is_accepted(int value)
    {
        TestServer.Options(o => o.MaxPayloadLength = value).Validate();
    }

    [Fact]
    public void MaxInFlightPerConnection_zero_is_refused()
    {
        AssertRefused(o => o.MaxInFlightPerConnection = 0, nameof(TransportOptions.MaxInFlightPerConnection));
    }

    [Theory]
    [InlineData(nameof(TransportOptions.IdleTimeout), -1)]
    [InlineData(nameof(TransportOptions.IdleTimeout), 0)]
    [InlineData(nameof(TransportOptions.HandshakeTimeout), -1)]
    [InlineData(nameof(TransportOptions.HandshakeTimeout), 0)]
    [InlineData(nameof(TransportOptions.ShutdownTimeout), -1)]
    [InlineData(nameof(TransportOptions.ShutdownTimeout), 0)]
    [InlineData(nameof(TransportOptions.IdleTimeout), 30 * 24 * 3600)]
    public void Timeouts_not_positive_or_too_long_are_refused(string setting, int seconds)
    {
        var value = TimeSpan.FromSeconds(seconds);
        AssertRefused(
            o =>
            {
                switch (setting)
                {
                    case nameof(TransportOptions.IdleTimeout):
                        o.IdleTimeout = value;
                        break;
                    case nameof(TransportOptions.HandshakeTimeout):
                        o.HandshakeTimeout = value;
                        break;
                    default:
                        o.ShutdownTimeout = value;
                        break;
                }
            },
            setting);
    }

    [Fact]
    public void Server_constructor_validates_its_options()
    {
        var ex = Assert.Throws<InvalidSettingException>(() =>
            new FrameServer(TestServer.Options(o => o.MaxConnections = 0), TestKeys.Server, TestKeys.Verifier));
        Assert.Equal(nameof(TransportOptions.MaxConnections), ex.Setting);
    }

    private static void AssertRefused(Action<TransportOptions> configure, string setting)
    {
        var options = TestServer.Options(configure);
        var ex = Assert.Throws<InvalidSettingException>(options.Validate);
        Assert.Equal(setting, ex.Setting);
        Assert.Contains(setting, ex.Message, StringComparison.Ordinal);
    }
}
