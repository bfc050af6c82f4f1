using System.Buffers;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Reputation.Stake;

/// <summary>Reads of stake records that turn every kind of damage into one <see cref="StorageException"/>.</summary>
internal static class StakeStateIo
{
    public const byte RecordVersion = 1;

    /// <summary>
    /// Reads <paramref name="key"/> into a buffer rented from the shared pool (the caller returns it);
    /// null when the key is absent.
    /// </summary>
    /// <exception cref="StorageException">The record is longer than any valid <paramref name="what"/>.</exception>
    public static byte[]? Read(IReplicatedState state, StateKey key, int maxLength, string what, out int length)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(maxLength);
        var found = false;
        try
        {
            found = TryRead(state, key, buffer.AsSpan(0, maxLength), what, out length);
            return found ? buffer : null;
        }
        finally
        {
            if (!found)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// <see cref="IReplicatedState.TryRead"/> into a buffer as long as the largest valid record (or one
    /// byte longer for fixed-size records, so the length check sees an overlong one): a longer record is
    /// damage, not a caller's bug.
    /// </summary>
    public static bool TryRead(IReplicatedState state, StateKey key, Span<byte> buffer, string what, out int length)
    {
        try
        {
            return state.TryRead(key, buffer, out length);
        }
        catch (InvalidOperationException e)
        {
            throw new StorageException(StorageError.StateCorrupt, $"The {what} record {key} is longer than the largest valid one ({buffer.Length} bytes).", e);
        }
    }

    public static void Return(byte[] buffer) => ArrayPool<byte>.Shared.Return(buffer);

    public static StorageException Corrupt(string what, string detail) =>
        new(StorageError.StateCorrupt, $"The {what} record is damaged: {detail}.");

    /// <summary>Checks the version byte and the exact length of a fixed-size record.</summary>
    public static void CheckHeader(ReadOnlySpan<byte> record, int expectedLength, string what)
    {
        if (record.Length == 0 || record[0] != RecordVersion)
        {
            throw Corrupt(what, record.Length == 0 ? "empty" : $"version {record[0]}, expected {RecordVersion}");
        }

        if (record.Length != expectedLength)
        {
            throw Corrupt(what, $"{record.Length} bytes, expected {expectedLength}");
        }
    }
}
