using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CretoAI.Fast.Cli.Cluster;

namespace CretoAI.Fast.Cli.Tests.ClusterProcesses;

/// <summary>
/// One node's log across all its runs: every line the node writes (stdout and stderr) is appended
/// to <c>node&lt;i&gt;/node.log</c> and the last lines are kept in memory for failure messages.
/// </summary>
internal sealed class NodeLog : IDisposable
{
    private const int TailCapacity = 400;

    private readonly Lock _lock = new();
    private readonly StreamWriter _file;
    private readonly Queue<string> _tail = new();

    public NodeLog(string path)
    {
        Path = path;
        _file = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), Encoding.UTF8) { AutoFlush = true };
    }

    public string Path { get; }

    public void WriteLine(string line)
    {
        lock (_lock)
        {
            _file.WriteLine(line);
            _tail.Enqueue(line);
            if (_tail.Count > TailCapacity)
            {
                _tail.Dequeue();
            }
        }
    }

    /// <summary>The last <paramref name="lines"/> lines written.</summary>
    public string Tail(int lines)
    {
        lock (_lock)
        {
            return string.Join('\n', _tail.Skip(Math.Max(0, _tail.Count - lines)));
        }
    }

    /// <summary>Everything logged so far, all runs.</summary>
    public string ReadAll()
    {
        lock (_lock)
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _file.Dispose();
        }
    }
}

/// <summary>
/// <c>dotnet cretoai-fast.dll ARGS</c> as a child process whose output is pumped into a <see cref="NodeLog"/>.
/// Every live child is also killed when the test host exits, so none outlives an aborted run.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Live = new();

    private readonly Process _process;
    private readonly Task _pumps;

    static NodeProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Live.Values)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (Exception)
                {
                    // Already gone.
                }
            }
        };
    }

    private NodeProcess(Process process, NodeLog log)
    {
        _process = process;
        Id = process.Id;
        Live[Id] = process;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput, log), PumpAsync(process.StandardError, log));
    }

    public int Id { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static NodeProcess Start(IReadOnlyList<string> arguments, NodeLog log)
    {
        var start = CliStartInfo(arguments);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start cretoai-fast");
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"===== test: started pid {process.Id}: cretoai-fast {string.Join(' ', arguments)} ====="));
        return new NodeProcess(process, log);
    }

    /// <summary>
    /// <c>dotnet cretoai-fast.dll ARGS</c> with standard output and error redirected: the CLI
    /// assembly sits next to the test assembly and runs on the same dotnet host.
    /// </summary>
    public static ProcessStartInfo CliStartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cretoai-fast.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>The dotnet host running this test (the CLI is run with the same one).</summary>
    public static string DotnetHost()
    {
        var path = Environment.ProcessPath;
        if (path is not null && string.Equals(Path.GetFileNameWithoutExtension(path), "dotnet", StringComparison.Ordinal))
        {
            return path;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }

    /// <summary>SIGKILL (Process.Kill), then waits for the process and its output to end.</summary>
    public async Task KillAsync(CancellationToken cancellationToken)
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        await WaitForExitAsync(cancellationToken);
    }

    /// <summary>SIGTERM: the way systemd or an operator stops a node.</summary>
    public void Terminate()
    {
        if (!PosixSignals.Send(Id, PosixSignals.SigTerm) && !_process.HasExited)
        {
            throw new InvalidOperationException($"could not send SIGTERM to {Id}");
        }
    }

    public async Task WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        await _pumps.WaitAsync(cancellationToken);
        Live.TryRemove(Id, out _);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await WaitForExitAsync(deadline.Token);
        }
        catch (Exception)
        {
            // Best effort: the process is gone or cannot be waited for; nothing more to do.
        }
        finally
        {
            Live.TryRemove(Id, out _);
            _process.Dispose();
        }
    }

    private static async Task PumpAsync(StreamReader reader, NodeLog log)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                log.WriteLine(line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The pipe went away with the process.
        }
    }
}
