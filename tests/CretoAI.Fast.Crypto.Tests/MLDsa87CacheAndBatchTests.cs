using Xunit;

namespace CretoAI.Fast.Crypto.Tests;

public class MLDsa87CacheAndBatchTests
{
    private static readonly (byte[] PublicKey, byte[] SecretKey)[] Keys = [.. Enumerable.Range(1, 3).Select(MakeKey)];

    [Fact]
    public void A_warm_verification_allocates_nothing()
    {
        var (publicKey, secretKey) = Keys[0];
        var signature = Sign(secretKey, "warm"u8.ToArray());
        var cache = new MLDsa87KeyCache();
        var verifier = new MLDsa87Verifier(publicKey);
        Assert.True(cache.Verify(publicKey, "warm"u8, "ctx"u8, signature)); // first sighting: not kept
        Assert.True(cache.Verify(publicKey, "warm"u8, "ctx"u8, signature)); // second: expanded and kept
        Assert.True(verifier.Verify("warm"u8, "ctx"u8, signature));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var accepted = 0;
        for (var i = 0; i < 20; i++)
        {
            accepted += cache.Verify(publicKey, "warm"u8, "ctx"u8, signature) ? 1 : 0;
            accepted += verifier.Verify("warm"u8, "ctx"u8, signature) ? 1 : 0;
            accepted += MLDsa87.Verify(publicKey, "warm"u8, "ctx"u8, signature) ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(60, accepted);
    }

    [Fact]
    public void The_cache_is_bounded_by_bytes_and_evicts_the_least_recently_used_key()
    {
        var cache = new MLDsa87KeyCache(2L * MLDsa87Verifier.RetainedBytes);
        var signatures = Keys.Select(k => Sign(k.SecretKey, "m"u8.ToArray())).ToArray();

        Assert.True(cache.TryGet(Keys[0].PublicKey, out _)); // TryGet always keeps the key
        Assert.True(cache.TryGet(Keys[1].PublicKey, out _));
        Assert.True(cache.Verify(Keys[0].PublicKey, "m"u8, "ctx"u8, signatures[0])); // key 0 now most recent
        Assert.Equal((1L, 2L, 0L), (cache.Hits, cache.Misses, cache.Evictions));

        Assert.True(cache.TryGet(Keys[2].PublicKey, out _)); // evicts key 1
        Assert.Equal(2, cache.Count);
        Assert.Equal(1, cache.Evictions);
        Assert.True(cache.SizeBytes <= cache.CapacityBytes);

        Assert.True(cache.Verify(Keys[0].PublicKey, "m"u8, "ctx"u8, signatures[0]));
        Assert.Equal(2, cache.Hits);
        Assert.True(cache.Verify(Keys[1].PublicKey, "m"u8, "ctx"u8, signatures[1])); // was evicted: a miss, verified unexpanded
        Assert.Equal(4, cache.Misses);
        Assert.Equal(2, cache.Count);
        Assert.False(cache.Verify(Keys[1].PublicKey, "m"u8, "ctx"u8, signatures[0])); // seen before: expanded again, evicts key 2
        Assert.Equal(2, cache.Evictions);
        Assert.True(cache.TryGet(Keys[1].PublicKey, out _));
        Assert.Equal(3, cache.Hits);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MLDsa87KeyCache(1000));
    }

    [Fact]
    public void A_key_is_kept_only_from_its_second_use_and_its_first_use_allocates_nothing()
    {
        var cache = new MLDsa87KeyCache();
        var (publicKey, secretKey) = Keys[2];
        var signature = Sign(secretKey, "once"u8.ToArray());
        Assert.True(MLDsa87.Verify(Keys[0].PublicKey, "x"u8, "ctx"u8, Sign(Keys[0].SecretKey, "x"u8.ToArray()))); // warm the code path

        var before = GC.GetAllocatedBytesForCurrentThread();
        var first = cache.Verify(publicKey, "once"u8, "ctx"u8, signature);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(first);
        Assert.Equal(0, allocated);
        Assert.Equal((0, 1L), (cache.Count, cache.FirstSightings));

        // A forged signature under a key seen for the first time is still refused.
        var other = Keys[1].PublicKey;
        Assert.False(cache.Verify(other, "once"u8, "ctx"u8, signature));
        Assert.Equal((0, 2L), (cache.Count, cache.FirstSightings));

        Assert.True(cache.Verify(publicKey, "once"u8, "ctx"u8, signature)); // second use: expanded and kept
        Assert.Equal(1, cache.Count);
        Assert.False(cache.Verify(publicKey, "twice"u8, "ctx"u8, signature)); // third: a hit, still a real check
        Assert.Equal((1, 1L, 2L), (cache.Count, cache.Hits, cache.FirstSightings));
    }

    [Fact]
    public void Concurrent_use_of_one_cache_gives_the_right_verdicts()
    {
        var cache = new MLDsa87KeyCache(2L * MLDsa87Verifier.RetainedBytes);
        var signatures = Keys.Select(k => Sign(k.SecretKey, "m"u8.ToArray())).ToArray();
        var wrong = 0;
        Parallel.For(0, 60, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var k = i % 3;
            var expectValid = i % 2 == 0;
            var verdict = cache.Verify(Keys[k].PublicKey, expectValid ? "m"u8 : "x"u8, "ctx"u8, signatures[k]);
            if (verdict != expectValid)
            {
                Interlocked.Increment(ref wrong);
            }
        });
        Assert.Equal(0, wrong);
        Assert.True(cache.Count <= 2);
    }

    [Fact]
    public async Task Batch_verification_returns_one_verdict_per_item_in_order()
    {
        var items = new List<MLDsa87BatchItem>();
        var expected = new List<bool>();
        for (var i = 0; i < 23; i++)
        {
            var (publicKey, secretKey) = Keys[i % 3];
            var message = BitConverter.GetBytes(i);
            var signature = Sign(secretKey, message);
            var valid = i % 4 != 1;
            if (!valid)
            {
                signature[i] ^= 1;
            }

            items.Add(new MLDsa87BatchItem(publicKey, message, "ctx"u8.ToArray(), signature));
            expected.Add(valid);
        }

        items.Add(new MLDsa87BatchItem(new byte[5], new byte[1], default, new byte[3]));
        expected.Add(false);

        var batch = new MLDsa87BatchVerifier(new MLDsa87KeyCache());
        Assert.Equal(expected, batch.VerifyAll(items));
        var callerThread = Environment.CurrentManagedThreadId;
        Assert.Equal(expected, await batch.VerifyAllAsync(items));
        Assert.Equal(expected, new MLDsa87BatchVerifier(new MLDsa87KeyCache(), maxDegreeOfParallelism: 1).VerifyAll(items));
        Assert.Equal(Environment.ProcessorCount, batch.MaxDegreeOfParallelism);
        Assert.True(callerThread > 0);
    }

    [Fact]
    public void A_batch_of_keys_seen_for_the_first_time_gets_the_verdicts_of_single_verification()
    {
        // Every key is new, so each group of four hashes its keys' tr together (groups of 4, 4, 3 and
        // a lone one): damaged signatures, a wrong context and a short key must still be told apart.
        var items = new List<MLDsa87BatchItem>();
        var expected = new List<bool>();
        for (var i = 0; i < 12; i++)
        {
            var (publicKey, secretKey) = MakeKey(100 + i);
            var message = BitConverter.GetBytes(i * 7);
            var signature = Sign(secretKey, message);
            var context = "ctx"u8.ToArray();
            switch (i % 4)
            {
                case 1:
                    signature[100 + i] ^= 0x40;
                    break;
                case 2 when i == 6:
                    context = "other"u8.ToArray();
                    break;
                case 3 when i == 11:
                    publicKey = publicKey[..^1];
                    break;
            }

            items.Add(new MLDsa87BatchItem(publicKey, message, context, signature));
            expected.Add(MLDsa87.Verify(publicKey, message, context, signature));
        }

        items.Add(new MLDsa87BatchItem(MakeKey(200).PublicKey, new byte[1], default, new byte[MLDsa87.SignatureSize]));
        expected.Add(false);
        Assert.Contains(true, expected);
        Assert.Equal(6, expected.Count(v => !v));

        var cache = new MLDsa87KeyCache();
        Assert.Equal(expected, new MLDsa87BatchVerifier(cache, maxDegreeOfParallelism: 1).VerifyAll(items));
        Assert.Equal(12, cache.FirstSightings);
        Assert.Equal(expected, new MLDsa87BatchVerifier(new MLDsa87KeyCache()).VerifyAll(items));
    }

    private static (byte[] PublicKey, byte[] SecretKey) MakeKey(int seed)
    {
        var publicKey = new byte[MLDsa87.PublicKeySize];
        var secretKey = new byte[MLDsa87.SecretKeySize];
        var seedBytes = new byte[32];
        seedBytes[0] = (byte)seed;
        MLDsa87.GenerateKeyPair(seedBytes, publicKey, secretKey);
        return (publicKey, secretKey);
    }

    private static byte[] Sign(byte[] secretKey, byte[] message)
    {
        var signature = new byte[MLDsa87.SignatureSize];
        MLDsa87.Sign(secretKey, message, "ctx"u8, signature);
        return signature;
    }
}
