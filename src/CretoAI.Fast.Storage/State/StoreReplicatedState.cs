using System.Buffers;

namespace CretoAI.Fast.Storage.State;

/// <summary>
/// <see cref="IReplicatedState"/> on the node's sharded FASTER store. The running digest lives in
/// memory and is written under a <see cref="StateNamespace.Meta"/> key by <see cref="Seal"/>; opening
/// reads it back, so after checkpoint + recovery the digest matches the recovered entries. Writes
/// read the previous value first (the digest must subtract it); values up to 1 KiB never touch the heap.
/// </summary>
public sealed class StoreReplicatedState : IReplicatedState
{
    private const int StackLimit = 1024;

    private static readonly StateKey DigestKey = StateKey.For(StateNamespace.Meta, 1);

    private readonly ShardedStore _store;
    private StateDigest _digest;

    /// <summary>Wraps <paramref name="store"/>, resuming the digest sealed in it (empty state when none).</summary>
    /// <exception cref="StorageException">The stored digest record is damaged.</exception>
    public StoreReplicatedState(ShardedStore store)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        Span<byte> buffer = stackalloc byte[StateDigest.EncodedSize];
        var result = _store.Read(KeyBytes(DigestKey, stackalloc byte[32]), buffer, out var length);
        if (result == ReadResult.Found && length == StateDigest.EncodedSize)
        {
            _digest = StateDigest.ReadFrom(buffer);
        }
        else if (result != ReadResult.NotFound)
        {
            throw new StorageException(StorageError.StateCorrupt, $"The state digest record has {length} bytes, expected {StateDigest.EncodedSize}.");
        }
    }

    public StateDigest Digest => _digest;

    public bool TryRead(StateKey key, Span<byte> destination, out int length)
    {
        var result = _store.Read(KeyBytes(key, stackalloc byte[32]), destination, out length);
        return result switch
        {
            ReadResult.Found => true,
            ReadResult.NotFound => false,
            _ => throw new InvalidOperationException($"State value of {key} is {length} bytes; the caller's buffer holds {destination.Length}."),
        };
    }

    public void Write(StateKey key, ReadOnlySpan<byte> value)
    {
        Span<byte> keyBytes = stackalloc byte[32];
        KeyBytes(key, keyBytes);
        ForgetOld(key, keyBytes);
        _store.Upsert(keyBytes, value);
        _digest.Add(key, value);
    }

    public void Remove(StateKey key)
    {
        Span<byte> keyBytes = stackalloc byte[32];
        KeyBytes(key, keyBytes);
        if (ForgetOld(key, keyBytes))
        {
            _store.Delete(keyBytes);
        }
    }

    public void Seal()
    {
        Span<byte> encoded = stackalloc byte[StateDigest.EncodedSize];
        _digest.WriteTo(encoded);
        _store.Upsert(KeyBytes(DigestKey, stackalloc byte[32]), encoded);
    }

    private static Span<byte> KeyBytes(StateKey key, Span<byte> buffer)
    {
        key.Value.CopyTo(buffer);
        return buffer;
    }

    // Subtracts the current value of key from the digest; false when there is none.
    private bool ForgetOld(StateKey key, ReadOnlySpan<byte> keyBytes)
    {
        Span<byte> small = stackalloc byte[StackLimit];
        var result = _store.Read(keyBytes, small, out var length);
        if (result == ReadResult.NotFound)
        {
            return false;
        }

        if (result == ReadResult.Found)
        {
            _digest.Remove(key, small[..length]);
            return true;
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            _ = _store.Read(keyBytes, rented, out length);
            _digest.Remove(key, rented.AsSpan(0, length));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
