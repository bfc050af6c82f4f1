using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace CretoAI.Fast.Node.Tests.Infrastructure;

/// <summary>The host child (tests/CretoAI.Fast.Node.HostChild) running as its own process.</summary>
internal sealed partial class HostChildProcess : IDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly StringBuilder _output = new();

    public HostChildProcess(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(LocateChild());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in new[] { "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        StartTime = _process.StartTime;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public DateTime StartTime { get; }

    /// <summary>Everything the child wrote, stdout and stderr interleaved by arrival.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public void Terminate()
    {
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the host child did not exit within {timeout.TotalSeconds} s; output:\n{Output}");
        }

        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }

    private static string LocateChild()
    {
        // tests/CretoAI.Fast.Node.Tests/bin/<Configuration>/<tfm>/ -> tests/CretoAI.Fast.Node.HostChild/bin/<Configuration>/<tfm>/
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var path = here.Replace("CretoAI.Fast.Node.Tests", "CretoAI.Fast.Node.HostChild", StringComparison.Ordinal);
        var dll = Path.Combine(path, "CretoAI.Fast.Node.HostChild.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Host child not built at '{dll}'; build tests/CretoAI.Fast.Node.Tests (it builds the child).", dll);
        }

        return dll;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
