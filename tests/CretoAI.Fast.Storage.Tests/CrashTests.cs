using System.Diagnostics;
using CretoAI.Fast.Storage.CrashChild;
using Xunit.Abstractions;

namespace CretoAI.Fast.Storage.Tests;

/// <summary>
/// Starts the crash child, SIGKILLs it at seeded random moments (during recovery, right after start, or
/// after a random number of acknowledged commits, with a random extra spin), and after every kill checks
/// from the files alone: every acknowledged block is in the WAL or the checkpointed state, in order and
/// byte-identical, at most one unacknowledged block is visible and only whole, and the KV state equals
/// the state implied by the blocks.
/// </summary>
public sealed class CrashTests
{
    private const int Kills = 24;
    private readonly ITestOutputHelper _output;

    public CrashTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Every_acknowledged_commit_survives_sigkill()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CRASH_TEST_SEED"), out var s) ? s : 20261125;
        _output.WriteLine($"seed {seed} (set CRASH_TEST_SEED to reproduce)");
        var random = new Random(seed);
        using var dir = new TempDirectory();
        long acknowledged = -1;
        var checkpoints = 0;
        for (var round = 0; round < Kills; round++)
        {
            var mode = random.Next(10);
            var extra = random.Next(0, 4) == 0 ? 0 : random.Next(100, 400_000);
            var target = mode switch
            {
                0 => -1, // kill as soon as it is started: often mid-recovery
                1 => 0, // right after recovery
                _ => random.Next(1, 160),
            };

            using var child = new ChildProcess(dir.Path);
            if (target >= 0)
            {
                var baseline = child.WaitReady();
                Assert.True(baseline >= acknowledged + 1, $"round {round}: child resumed at {baseline} but {acknowledged} was acknowledged");
                child.WaitAcknowledged(baseline + target - 1);
            }

            Thread.SpinWait(extra);
            child.Kill();
            acknowledged = Math.Max(acknowledged, child.LastAcknowledged);
            checkpoints += child.Checkpoints;
            Assert.True(child.Error.Length == 0 || child.Error.Contains("Killed", StringComparison.Ordinal), $"round {round}: child stderr: {child.Error}");

            var recovered = Verify(dir.Path, acknowledged, round);
            _output.WriteLine($"round {round}: mode {mode}, acked {acknowledged}, recovered {recovered} blocks");
        }

        Assert.True(acknowledged > 100, $"only {acknowledged} blocks were acknowledged over {Kills} runs");
        Assert.True(checkpoints > 0, "no checkpoint was taken; the checkpoint + replay path was not exercised");
    }

    /// <summary>Opens the directory as a restarted node would and checks it; returns the blocks recovered.</summary>
    private static long Verify(string directory, long acknowledged, int round)
    {
        using var storage = NodeStorage.Open(CrashScenario.Options(directory));
        Assert.True(storage.Wal.Recovery.IsClean, $"round {round}: {storage.Wal.Recovery.CorruptionReason}");
        var expected = CrashScenario.Progress(storage.State);
        storage.Replay(record =>
        {
            var n = CrashScenario.Apply(storage.State, record.Payload);
            Assert.Equal(expected, n);
            Assert.True(record.Payload.SequenceEqual(CrashScenario.Payload(n)), $"round {round}: block {n} differs from what was written");
            Assert.Equal(WalRecordKind.Block, record.Kind);
            expected++;
        });

        var blocks = CrashScenario.Progress(storage.State);
        Assert.Equal(expected, blocks);

        // Every acknowledged block is there; at most the one being acknowledged when the kill landed is extra.
        Assert.InRange(blocks, acknowledged + 1, acknowledged + 2);

        var buffer = new byte[256];
        for (long slot = 0; slot < CrashScenario.KeySpace; slot++)
        {
            var last = slot < blocks ? blocks - 1 - ((blocks - 1 - slot) % CrashScenario.KeySpace) : -1;
            var result = storage.State.Read(CrashScenario.StateKey(slot), buffer, out var length);
            if (last < 0)
            {
                Assert.Equal(ReadResult.NotFound, result);
                continue;
            }

            Assert.Equal(ReadResult.Found, result);
            Assert.True(CrashScenario.StateValue(last).AsSpan().SequenceEqual(buffer.AsSpan(0, length)), $"round {round}: slot {slot} should hold block {last}");
        }

        return blocks;
    }

    /// <summary>The child process and what it reported on stdout.</summary>
    private sealed class ChildProcess : IDisposable
    {
        private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
        private readonly Process _process;
        private readonly object _gate = new();
        private readonly System.Text.StringBuilder _error = new();
        private long _ready = -1;
        private long _acknowledged = -1;
        private int _checkpoints;

        public ChildProcess(string directory)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(LocateChild());
            start.ArgumentList.Add(directory);
            _process = new Process { StartInfo = start };
            _process.OutputDataReceived += (_, e) => OnLine(e.Data);
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (_gate)
                    {
                        _error.AppendLine(e.Data);
                    }
                }
            };
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public long LastAcknowledged
        {
            get
            {
                lock (_gate)
                {
                    return _acknowledged;
                }
            }
        }

        public int Checkpoints
        {
            get
            {
                lock (_gate)
                {
                    return _checkpoints;
                }
            }
        }

        public string Error
        {
            get
            {
                lock (_gate)
                {
                    return _error.ToString();
                }
            }
        }

        public long WaitReady()
        {
            WaitFor(() => _ready >= 0, "READY");
            lock (_gate)
            {
                return _ready;
            }
        }

        public void WaitAcknowledged(long n) => WaitFor(() => _acknowledged >= n, $"ACK {n}");

        /// <summary>SIGKILL on Unix; then drain stdout so every line the child wrote is counted.</summary>
        public void Kill()
        {
            try
            {
                _process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already exited; the checks below report why.
            }

            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                Kill();
            }

            _process.Dispose();
        }

        private void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_gate)
            {
                if (line.StartsWith("ACK ", StringComparison.Ordinal))
                {
                    var n = long.Parse(line.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture);
                    Assert.True(n == _acknowledged + 1 || _acknowledged < 0, $"acknowledgements out of order: {n} after {_acknowledged}");
                    _acknowledged = n;
                }
                else if (line.StartsWith("READY ", StringComparison.Ordinal))
                {
                    _ready = long.Parse(line.AsSpan(6), System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("CKPT ", StringComparison.Ordinal))
                {
                    _checkpoints++;
                }

                Monitor.PulseAll(_gate);
            }
        }

        private void WaitFor(Func<bool> condition, string what)
        {
            var stopwatch = Stopwatch.StartNew();
            lock (_gate)
            {
                while (!condition())
                {
                    if (_process.HasExited)
                    {
                        throw new Xunit.Sdk.XunitException($"child exited with code {_process.ExitCode} before {what}: {_error}");
                    }

                    var left = Deadline - stopwatch.Elapsed;
                    if (left <= TimeSpan.Zero)
                    {
                        throw new Xunit.Sdk.XunitException($"child did not reach {what} within {Deadline}");
                    }

                    Monitor.Wait(_gate, TimeSpan.FromMilliseconds(Math.Min(200, left.TotalMilliseconds)));
                }
            }
        }

        private static string LocateChild()
        {
            // tests/CretoAI.Fast.Storage.Tests/bin/<Configuration>/<tfm>/ -> tests/CretoAI.Fast.Storage.CrashChild/bin/<Configuration>/<tfm>/
            var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
            var path = here.Replace("CretoAI.Fast.Storage.Tests", "CretoAI.Fast.Storage.CrashChild", StringComparison.Ordinal);
            var dll = Path.Combine(path, "CretoAI.Fast.Storage.CrashChild.dll");
            if (!File.Exists(dll))
            {
                throw new FileNotFoundException($"Crash child not built at '{dll}'; build tests/CretoAI.Fast.Storage.Tests (it builds the child).", dll);
            }

            return dll;
        }
    }
}
