using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using CretoAI.Fast.Core;
using CretoAI.Fast.Reputation;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Routing.Registry;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Storage.State;
using CretoAI.Fast.Wire.Transactions;

namespace CretoAI.Fast.Benchmarks.Registry;

/// <summary>
/// The million-agent job (a console run, not BenchmarkDotNet: building the store takes minutes and
/// must happen once): <c>dotnet run -c Release --project perf/CretoAI.Fast.Benchmarks -- registry-million
/// [--agents 1000000] [--hot 65536] [--cold 100000] [--seconds 3] [--no-restart] [--dir PATH]</c>.
/// <list type="number">
/// <item>Registers N agents on the node's storage (NodeStorage, default store options: one shard per
/// core, 128 MiB of in-memory log per shard) through the registry's unsigned test path
/// (<c>AgentRegistry.RegisterUnsigned</c>: the record a committed register writes, without signing N
/// ML-DSA transactions); keys are pseudo-random 2,592-byte strings.</item>
/// <item>Resident memory with all N agents.</item>
/// <item>Hot-set lookups against a <see cref="ConcurrentDictionary{TKey, TValue}"/> holding the same agents
/// (status and public key), same ids in the same order, one thread and every core; bytes allocated per lookup.</item>
/// <item>Cold lookups (ids not in the hot set, so read from the store: its in-memory log or its file): latency percentiles.</item>
/// <item>Restart: checkpoint, reopen, find every agent again, compare the state digest.</item>
/// </list>
/// </summary>
internal static class RegistryMillion
{
    public static async Task<int> RunAsync(string[] args)
    {
        var agents = IntArg(args, "--agents", 1_000_000);
        var hot = IntArg(args, "--hot", AgentRegistryOptions.DefaultHotSetCapacity);
        var coldCount = IntArg(args, "--cold", 100_000);
        var seconds = IntArg(args, "--seconds", 3);
        var restart = !args.Contains("--no-restart");
        var directory = StringArg(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "cretoai-registry-million-" + Guid.NewGuid().ToString("N"));
        var options = new NodeStorageOptions
        {
            DataDirectory = directory,
            Store = new ShardedStoreOptions { HashBucketsPerShard = 1L << 18, MaxValueSize = 64 << 10 },
        };

        Console.WriteLine($"# registry-million {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        Console.WriteLine($"agents {agents:N0}, hot set {hot:N0} slots, shards {options.Store.ShardCount}, in-memory log {options.Store.MemoryBudgetPerShardBytes >> 20} MiB per shard, directory {directory}");
        try
        {
            Hash32[] ids;
            StateDigest digest;
            using (var storage = NodeStorage.Open(options))
            {
                var state = new StoreReplicatedState(storage.State);
                var registry = new AgentRegistry(state, new AgentRegistryOptions { HotSetCapacity = hot });
                ids = Build(registry, agents);
                state.Seal();
                digest = state.Digest;
                ReportMemory("after building", storage.State);

                var hotIds = WarmHotSet(registry, ids, hot);
                CompareHotLookups(registry, hotIds, seconds);
                ColdLookups(registry, ids, coldCount);
                ReportMemory("after the lookups", storage.State);

                if (restart)
                {
                    var clock = Stopwatch.StartNew();
                    await storage.CheckpointAsync(storage.Wal.CommittedUntilAddress).ConfigureAwait(false);
                    Console.WriteLine($"checkpoint: {clock.Elapsed.TotalSeconds:F1} s");
                }
            }

            if (restart)
            {
                Restart(options, ids, digest);
            }

            Console.WriteLine($"disk: {DirectoryBytes(directory) / (1024.0 * 1024 * 1024):F2} GiB in {directory}; load average at the end {LoadAverage()}");
            return 0;
        }
        finally
        {
            if (!args.Contains("--keep") && Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static Hash32[] Build(AgentRegistry registry, int agents)
    {
        var ids = new Hash32[agents];
        var key = new byte[SignedTransaction.PublicKeySize];
        var profile = AgentTransactions.ProfileBody("benchmark agent", ["synthetic", "bench.1"]);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < agents; i++)
        {
            FillKey(key, i);
            var outcome = registry.RegisterUnsigned(key, profile, new BlockContext(1, 1_700_000_000_000));
            if (outcome.Verdict != TransactionVerdict.Applied)
            {
                throw new InvalidOperationException($"agent {i}: {outcome.Reason}");
            }

            ids[i] = AgentRegistry.AgentIdOf(key);
            if ((i + 1) % 100_000 == 0)
            {
                Console.Error.WriteLine($"  registered {i + 1:N0} in {clock.Elapsed.TotalSeconds:F0} s");
            }
        }

        Console.WriteLine($"build: {agents:N0} agents in {clock.Elapsed.TotalSeconds:F1} s ({agents / clock.Elapsed.TotalSeconds:N0} registrations/s, unsigned test path)");
        return ids;
    }

    // Looks up a random sample as large as the hot set, then keeps the ids the hot set holds (direct-mapped: some collide).
    private static Hash32[] WarmHotSet(AgentRegistry registry, Hash32[] ids, int hot)
    {
        var random = new Random(11);
        var sample = new Hash32[Math.Min(hot, ids.Length)];
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = ids[random.Next(ids.Length)];
            _ = registry.TryGetAgent(sample[i], out _);
        }

        var hotIds = sample.Where(id => registry.IsHot(id)).Distinct().ToArray();
        random.Shuffle(hotIds);
        Console.WriteLine($"hot set: {hotIds.Length:N0} agents resident after {sample.Length:N0} random lookups ({100.0 * hotIds.Length / hot:F0}% of the slots)");
        return hotIds;
    }

    private static void CompareHotLookups(AgentRegistry registry, Hash32[] hotIds, int seconds)
    {
        var reference = new ConcurrentDictionary<Hash32, ReferenceAgent>(Environment.ProcessorCount, hotIds.Length);
        foreach (var id in hotIds)
        {
            _ = registry.TryGetAgent(id, out var view);
            reference[id] = new ReferenceAgent(view.Status, view.PublicKey.ToArray());
        }

        foreach (var threads in new[] { 1, Environment.ProcessorCount })
        {
            double bestDictionary = 0, bestHotSet = 0;
            for (var round = 0; round < 3; round++)
            {
                bestDictionary = Math.Max(bestDictionary, Rate(threads, seconds, hotIds, ids => DictionaryPass(reference, ids)));
                bestHotSet = Math.Max(bestHotSet, Rate(threads, seconds, hotIds, ids => HotSetPass(registry, ids)));
            }

            Console.WriteLine($"hot lookups, {threads} thread(s): ConcurrentDictionary {bestDictionary / 1e6:F2} M/s, registry hot set {bestHotSet / 1e6:F2} M/s, ratio {bestHotSet / bestDictionary:F2} (best of 3 rounds of {seconds} s each)");
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        _ = HotSetPass(registry, hotIds);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Console.WriteLine($"hot lookups allocate {allocated} B over {hotIds.Length:N0} lookups");
    }

    private static void ColdLookups(AgentRegistry registry, Hash32[] ids, int count)
    {
        var random = new Random(12);
        var latencies = new double[count];
        var measured = 0;
        var fillsBefore = registry.HotSetFills;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var tick = 1e6 / Stopwatch.Frequency;
        while (measured < count)
        {
            var id = ids[random.Next(ids.Length)];
            if (registry.IsHot(id))
            {
                continue;
            }

            var start = Stopwatch.GetTimestamp();
            var found = registry.TryGetAgent(id, out var view) && view.PublicKey.Length == SignedTransaction.PublicKeySize;
            latencies[measured++] = (Stopwatch.GetTimestamp() - start) * tick;
            if (!found)
            {
                throw new InvalidOperationException("a registered agent was not found");
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Array.Sort(latencies);
        Console.WriteLine(
            $"cold lookups ({count:N0} random agents not in the hot set, one thread): p50 {Percentile(latencies, 0.50):F1} µs, p90 {Percentile(latencies, 0.90):F1} µs, " +
            $"p99 {Percentile(latencies, 0.99):F1} µs, p99.9 {Percentile(latencies, 0.999):F1} µs, max {latencies[^1]:F0} µs; {allocated / (double)count:F0} B allocated per lookup (the snapshot kept in the hot set); {registry.HotSetFills - fillsBefore:N0} hot-set fills");
    }

    private static void Restart(NodeStorageOptions options, Hash32[] ids, StateDigest digest)
    {
        var clock = Stopwatch.StartNew();
        using var storage = NodeStorage.Open(options);
        var state = new StoreReplicatedState(storage.State);
        var opened = clock.Elapsed;
        var registry = new AgentRegistry(state);
        var found = 0;
        foreach (var id in ids)
        {
            if (registry.TryGetAgent(id, out var view) && view.AgentId == id && view.IsActive)
            {
                found++;
            }
        }

        Console.WriteLine($"restart: reopened from the checkpoint in {opened.TotalSeconds:F1} s, found {found:N0} of {ids.Length:N0} agents active in {(clock.Elapsed - opened).TotalSeconds:F1} s, digest {(state.Digest == digest ? "equal" : "DIFFERENT")}");
        if (found != ids.Length || state.Digest != digest)
        {
            throw new InvalidOperationException("the restart lost agents or changed the state");
        }
    }

    private static long DictionaryPass(ConcurrentDictionary<Hash32, ReferenceAgent> reference, Hash32[] ids)
    {
        long sum = 0;
        foreach (var id in ids)
        {
            if (reference.TryGetValue(id, out var agent) && agent.Status == AgentStatus.Active)
            {
                sum += agent.PublicKey[0] + 1;
            }
        }

        return sum;
    }

    private static long HotSetPass(AgentRegistry registry, Hash32[] ids)
    {
        long sum = 0;
        foreach (var id in ids)
        {
            if (registry.TryGetAgent(id, out var view) && view.IsActive)
            {
                sum += view.PublicKey[0] + 1;
            }
        }

        return sum;
    }

    // Lookups per second over `threads` threads, each making passes over the ids (from its own offset) for `seconds`.
    private static double Rate(int threads, int seconds, Hash32[] ids, Func<Hash32[], long> pass)
    {
        var rotated = new Hash32[threads][];
        for (var t = 0; t < threads; t++)
        {
            rotated[t] = [.. ids.Skip(ids.Length * t / threads), .. ids.Take(ids.Length * t / threads)];
        }

        var passes = new long[threads];
        var deadline = Stopwatch.GetTimestamp() + (seconds * Stopwatch.Frequency);
        var clock = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            long sink = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                sink += pass(rotated[t]);
                passes[t]++;
            }

            GC.KeepAlive(sink);
        });
        return passes.Sum() * (double)ids.Length / clock.Elapsed.TotalSeconds;
    }

    private static void ReportMemory(string when, ShardedStore store)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        long onDisk = 0, total = 0;
        for (var s = 0; s < store.ShardCount; s++)
        {
            var log = store.ShardStore(s).Log;
            onDisk += log.HeadAddress - log.BeginAddress;
            total += log.TailAddress - log.BeginAddress;
        }

        Console.WriteLine(
            $"memory {when}: resident {process.WorkingSet64 / (1024.0 * 1024):N0} MiB (peak {process.PeakWorkingSet64 / (1024.0 * 1024):N0} MiB), managed heap {GC.GetTotalMemory(false) / (1024.0 * 1024):N0} MiB; " +
            $"hybrid log {total / (1024.0 * 1024):N0} MiB of which {100.0 * onDisk / Math.Max(1, total):F0}% below the in-memory head (read from the log file)");
    }

    // 2,592 pseudo-random bytes for agent i (xorshift64*): any such bytes are a valid ML-DSA-87 public key.
    private static void FillKey(Span<byte> key, int i)
    {
        var x = (ulong)(i + 1) * 0x9E37_79B9_7F4A_7C15UL;
        for (var offset = 0; offset < key.Length; offset += 8)
        {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            BitConverter.TryWriteBytes(key[offset..], x * 0x2545_F491_4F6C_DD1DUL);
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static long DirectoryBytes(string path) =>
        Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;

    private static int IntArg(string[] args, string name, int fallback)
    {
        var value = StringArg(args, name);
        return value is null ? fallback : int.Parse(value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }

    private static string? StringArg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed record ReferenceAgent(AgentStatus Status, byte[] PublicKey);
}
