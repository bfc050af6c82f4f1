namespace CretoAI.Fast.Crypto;

/// <summary>
/// Verifies many signatures across cores, one verdict per item (a bad item is false, never an
/// exception). Items go out in chunks of four through Parallel.For's dynamic partitioning, so a
/// slow core does not hold up the rest. Keys go through an <see cref="MLDsa87KeyCache"/>, so the many signatures of
/// a quorum certificate or a block from repeat senders reuse their expanded keys.
/// </summary>
public sealed class MLDsa87BatchVerifier
{
    private const int ChunkSize = 4;

    private readonly MLDsa87KeyCache _cache;

    /// <param name="cache">Expanded keys to use and fill; <see cref="MLDsa87KeyCache.Shared"/> when null.</param>
    /// <param name="maxDegreeOfParallelism">Worker count; all cores when 0 or less.</param>
    public MLDsa87BatchVerifier(MLDsa87KeyCache? cache = null, int maxDegreeOfParallelism = 0)
    {
        _cache = cache ?? MLDsa87KeyCache.Shared;
        MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
    }

    public int MaxDegreeOfParallelism { get; }

    /// <summary>Verifies every item on the thread pool (the caller's thread helps) and returns the verdicts in order.</summary>
    public bool[] VerifyAll(IReadOnlyList<MLDsa87BatchItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var results = new bool[items.Count];
        VerifyAll(items, results);
        return results;
    }

    /// <summary>Writes the verdict of items[i] to results[i].</summary>
    public void VerifyAll(IReadOnlyList<MLDsa87BatchItem> items, bool[] results)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(results);
        if (results.Length < items.Count)
        {
            throw new ArgumentException($"results holds {results.Length} verdicts, the batch has {items.Count} items.", nameof(results));
        }

        var chunks = (items.Count + ChunkSize - 1) / ChunkSize;
        if (chunks <= 1 || MaxDegreeOfParallelism == 1)
        {
            VerifyRange(items, results, 0, items.Count);
            return;
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = MaxDegreeOfParallelism };
        Parallel.For(0, chunks, options, chunk =>
        {
            var start = chunk * ChunkSize;
            VerifyRange(items, results, start, Math.Min(start + ChunkSize, items.Count));
        });
    }

    /// <summary>Runs <see cref="VerifyAll(IReadOnlyList{MLDsa87BatchItem})"/> off the caller's thread.</summary>
    public Task<bool[]> VerifyAllAsync(IReadOnlyList<MLDsa87BatchItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Task.Run(() => VerifyAll(items), cancellationToken);
    }

    private void VerifyRange(IReadOnlyList<MLDsa87BatchItem> items, bool[] results, int start, int end)
    {
        for (var i = start; i < end; i += ChunkSize)
        {
            var count = Math.Min(ChunkSize, end - i);
            _cache.VerifyFour(items, i, count, results.AsSpan(i, count));
        }
    }
}
