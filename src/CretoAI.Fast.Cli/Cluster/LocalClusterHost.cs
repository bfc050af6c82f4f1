using System.Diagnostics;
using System.Text;
using CretoAI.Fast.Cli.Commands;

namespace CretoAI.Fast.Cli.Cluster;

/// <summary>
/// Creates testnets with <c>testnet init</c>'s code and runs validators as child processes of this
/// same executable (<see cref="Environment.ProcessPath"/>; under <c>dotnet</c>, the cretoai-fast.dll
/// next to this assembly).
/// <para>
/// A node is started as <c>setsid sh -c 'exec "$@" &gt;&gt;LOG 2&gt;&amp;1'</c> where setsid and sh
/// exist (Linux): the node gets its own session, so the terminal's Ctrl-C reaches only
/// <c>cluster up</c>, which then stops the nodes in order (SIGTERM, wait, SIGKILL); its output goes
/// straight to its log file, with no pump in this process; and exec keeps the node's pid the one we
/// signal. Elsewhere the output is redirected and copied to the log by this process.
/// </para>
/// </summary>
internal sealed class LocalClusterHost : IClusterHost
{
    private static readonly string? Setsid = FirstExisting("/usr/bin/setsid", "/bin/setsid");
    private static readonly string? Shell = FirstExisting("/bin/sh", "/usr/bin/sh");

    /// <summary>Runs <c>testnet init</c>'s own code in process (same layout, keys and genesis as the command).</summary>
    public void CreateTestnet(string directory, int validators, int basePort)
    {
        var layout = new TestnetLayout(validators, directory, basePort, "cretoai-testnet", (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        TestnetCommand.Init(layout, force: false);
    }

    public IClusterChild StartNode(IReadOnlyList<string> arguments, string logPath)
    {
        var (program, programArguments) = Self(arguments);
        if (Setsid is not null && Shell is not null)
        {
            var start = new ProcessStartInfo(Setsid) { UseShellExecute = false };
            start.ArgumentList.Add(Shell);
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("exec \"$@\" >>\"$CRETOAI_FAST_CHILD_LOG\" 2>&1");
            start.ArgumentList.Add("cretoai-fast");
            start.ArgumentList.Add(program);
            foreach (var argument in programArguments)
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["CRETOAI_FAST_CHILD_LOG"] = logPath;
            var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
            return new ChildProcess(process, null);
        }

        var redirected = StartInfo(arguments);
        redirected.RedirectStandardOutput = true;
        redirected.RedirectStandardError = true;
        var child = Process.Start(redirected) ?? throw new InvalidOperationException($"could not start {program}");
        var log = new LogSink(logPath);
        var pump = Task.WhenAll(PumpAsync(child.StandardOutput, log), PumpAsync(child.StandardError, log));
        return new ChildProcess(child, (log, pump));
    }

    /// <summary>The program and arguments that run this executable with <paramref name="arguments"/>.</summary>
    internal static (string Program, IReadOnlyList<string> Arguments) Self(IReadOnlyList<string> arguments)
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running (Environment.ProcessPath is not set)");
        if (string.Equals(Path.GetFileNameWithoutExtension(path), "dotnet", StringComparison.Ordinal))
        {
            var assembly = Path.Combine(AppContext.BaseDirectory, "cretoai-fast.dll");
            return (path, [assembly, .. arguments]);
        }

        return (path, arguments);
    }

    private static ProcessStartInfo StartInfo(IReadOnlyList<string> arguments)
    {
        var (program, programArguments) = Self(arguments);
        var start = new ProcessStartInfo(program) { UseShellExecute = false };
        foreach (var argument in programArguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static async Task PumpAsync(StreamReader reader, LogSink log)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            log.WriteLine(line);
        }
    }

    private static string? FirstExisting(params string[] paths) => OperatingSystem.IsWindows() ? null : paths.FirstOrDefault(File.Exists);

    /// <summary>A log file that two pumps (stdout, stderr) append lines to.</summary>
    private sealed class LogSink(string path) : IDisposable
    {
        private readonly Lock _lock = new();
        private readonly StreamWriter _writer = new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), Encoding.UTF8) { AutoFlush = true };

        public void WriteLine(string line)
        {
            lock (_lock)
            {
                _writer.WriteLine(line);
            }
        }

        public void Dispose()
        {
            lock (_lock)
            {
                _writer.Dispose();
            }
        }
    }

    private sealed class ChildProcess(Process process, (LogSink Log, Task Pump)? redirect) : IClusterChild
    {
        public int Id { get; } = process.Id;

        public bool HasExited => process.HasExited;

        public int? ExitCode => process.HasExited ? process.ExitCode : null;

        public void Terminate()
        {
            if (!process.HasExited && !PosixSignals.Send(process.Id, PosixSignals.SigTerm))
            {
                // No SIGTERM here (Windows): the only stop there is.
                Kill();
            }
        }

        public void Kill()
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
        }

        public async Task WaitForExitAsync(CancellationToken cancellationToken)
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (redirect is { } pumped)
            {
                await pumped.Pump.ConfigureAwait(false);
            }
        }

        public void Dispose()
        {
            redirect?.Log.Dispose();
            process.Dispose();
        }
    }
}
