using System.Diagnostics;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Cli.Commands;

/// <summary>
/// <c>keys bench</c>'s measurement: ML-DSA-87 verifications of signatures by keys this process has
/// never verified before, the path a new agent's transaction takes in a validator (the key's tr and
/// matrix are computed for each verification; nothing is cached). Signatures are made first, by
/// <c>keys</c> fresh key pairs; then batches of up to <see cref="BatchSize"/> go through the same
/// <see cref="MLDsa87BatchVerifier"/> the daemon uses, each pass over the keys with a new, empty key
/// cache, until the time is up. CPU time is read from the process, so the figure per verification
/// holds even when other processes share the cores.
/// </summary>
internal static class VerificationBench
{
    /// <summary>Signatures per batch: a block's worth at the genesis default (128 transactions).</summary>
    public const int BatchSize = 128;

    private static ReadOnlySpan<byte> Context => "cretoai-fast/keys-bench"u8;

    public static VerificationBenchResult Run(int keys, int threads, TimeSpan duration, CancellationToken cancellationToken)
    {
        var items = Sign(keys, cancellationToken);
        var verdicts = new bool[BatchSize];
        long verified = 0;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // A new cache per pass: every key is met for the first time again, as fresh agents' are.
            var verifier = new MLDsa87BatchVerifier(new MLDsa87KeyCache(), threads);
            for (var start = 0; start < items.Length; start += BatchSize)
            {
                var count = Math.Min(BatchSize, items.Length - start);
                verifier.VerifyAll(new ArraySegment<MLDsa87BatchItem>(items, start, count), verdicts);
                if (Array.IndexOf(verdicts, false, 0, count) is var bad and >= 0)
                {
                    throw new InvalidOperationException($"a correct signature (key {start + bad}) did not verify: this build's ML-DSA-87 is broken, and its timing means nothing");
                }

                verified += count;
            }
        }

        var elapsed = clock.Elapsed;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        return new VerificationBenchResult(verified, elapsed, cpu, threads);
    }

    private static MLDsa87BatchItem[] Sign(int keys, CancellationToken cancellationToken)
    {
        var items = new MLDsa87BatchItem[keys];
        var context = Context.ToArray();
        Parallel.For(0, keys, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            // A transaction-sized signed message: the envelope header and a short body.
            var message = new byte[128];
            Random.Shared.NextBytes(message);
            var signature = new byte[MLDsa87.SignatureSize];
            using var signer = MLDsa87Signer.Generate();
            signer.Sign(message, context, signature);
            items[i] = new MLDsa87BatchItem(signer.PublicKey.ToArray(), message, context, signature);
        });
        return items;
    }
}
