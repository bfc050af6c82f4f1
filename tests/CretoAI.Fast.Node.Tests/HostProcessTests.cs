using System.Net;
using System.Net.Sockets;
using CretoAI.Fast.Node.Hosting;
using CretoAI.Fast.Node.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CretoAI.Fast.Node.Tests;

/// <summary>The host as a real process: SIGTERM, sd_notify, exit codes and what an operator reads.</summary>
public sealed class HostProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sigterm_after_ready_stops_cleanly_with_exit_0()
    {
        using var notify = new NotifySocket();
        using var child = new HostChildProcess(new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.Name });

        await notify.ReceiveUntilAsync("READY=1", Wait);
        output.WriteLine($"process start to READY=1 (JIT, dotnet host): {(DateTime.Now - child.StartTime).TotalMilliseconds:F0} ms");
        child.Terminate();
        await notify.ReceiveUntilAsync("STOPPING=1", Wait);

        Assert.Equal(ValidatorExitCode.Clean, await child.WaitForExitAsync(Wait));
        output.WriteLine(child.Output);
        Assert.Contains("stopped cleanly", child.Output, StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: ", child.Output);
    }

    [Fact]
    public async Task Sigterm_with_a_stop_that_overruns_the_timeout_exits_1()
    {
        using var notify = new NotifySocket();
        using var child = new HostChildProcess(
            new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notify.Name },
            "--stop-delay-ms", "600000", "--stop-ignores-cancel", "--shutdown-timeout", "1");

        await notify.ReceiveUntilAsync("READY=1", Wait);
        child.Terminate();

        Assert.Equal(ValidatorExitCode.Failure, await child.WaitForExitAsync(Wait));
        Assert.Contains("shutdown did not finish within shutdown_timeout_seconds=1: the validator was still stopping", child.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_port_exits_1_with_one_line_and_no_stack_trace()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        using var child = new HostChildProcess(new Dictionary<string, string?>(), "--metrics-listen", $"127.0.0.1:{port}");

        Assert.Equal(ValidatorExitCode.Failure, await child.WaitForExitAsync(Wait));

        output.WriteLine(child.Output);
        var lines = child.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.EndsWith($"fail: CretoAI.Fast.Node[0] start-up failed: metrics_listen 127.0.0.1:{port}: address already in use", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_key_exits_2_with_one_line()
    {
        using var child = new HostChildProcess(new Dictionary<string, string?>(), "--fail-start", "config");

        Assert.Equal(ValidatorExitCode.BadConfiguration, await child.WaitForExitAsync(Wait));

        var line = Assert.Single(child.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.EndsWith("bad configuration: Setting 'identity_key_file': 'node.key' is not an ML-DSA-87 private key.", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_journald_lines_carry_syslog_priorities()
    {
        using var child = new HostChildProcess(new Dictionary<string, string?> { ["JOURNAL_STREAM"] = "8:12345" }, "--fail-start", "io");

        Assert.Equal(ValidatorExitCode.Failure, await child.WaitForExitAsync(Wait));

        var line = Assert.Single(child.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal("<3>CretoAI.Fast.Node[0] start-up failed: data_directory 'data': locked by another process", line);
    }
}
