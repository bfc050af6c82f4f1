using System.Buffers.Binary;
using System.Globalization;

namespace CretoAI.Fast.Storage;

/// <summary>
/// Names one consistent checkpoint: a FASTER checkpoint token per shard plus the WAL address the state
/// corresponds to (every WAL record below it is reflected; replay starts there). The manifest is written
/// last, to a temporary file that is flushed and then renamed, so its presence means every shard finished;
/// a checkpoint interrupted before that has no manifest and is ignored.
/// Layout (little-endian): <c>"CKPTMAN1" | format u32 | sequence u64 | walAddress i64 | shardCount u32 |
/// shardCount × token (16 bytes) | crc32c u32</c> over everything before the CRC.
/// </summary>
public sealed class CheckpointManifest
{
    private const string FilePrefix = "manifest-";
    private const string FileSuffix = ".ckpt";
    private static ReadOnlySpan<byte> Magic => "CKPTMAN1"u8;

    public CheckpointManifest(ulong sequence, long walAddress, IReadOnlyList<Guid> shardTokens)
    {
        Sequence = sequence;
        WalAddress = walAddress;
        ShardTokens = shardTokens;
    }

    /// <summary>Increases by one per checkpoint of a directory.</summary>
    public ulong Sequence { get; }

    /// <summary>WAL address from which replay continues after restoring this checkpoint.</summary>
    public long WalAddress { get; }

    public IReadOnlyList<Guid> ShardTokens { get; }

    internal static string FileName(ulong sequence) =>
        FilePrefix + sequence.ToString("D20", CultureInfo.InvariantCulture) + FileSuffix;

    /// <summary>Manifest files in <paramref name="directory"/>, newest first.</summary>
    internal static List<string> List(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var files = Directory.GetFiles(directory, FilePrefix + "*" + FileSuffix);
        Array.Sort(files, StringComparer.Ordinal);
        Array.Reverse(files);
        return [.. files];
    }

    internal byte[] Serialize()
    {
        var size = 8 + 4 + 8 + 8 + 4 + (16 * ShardTokens.Count) + 4;
        var bytes = new byte[size];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], DataDirectory.FormatVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(span[12..], Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(span[20..], WalAddress);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], ShardTokens.Count);
        var offset = 32;
        foreach (var token in ShardTokens)
        {
            token.TryWriteBytes(span[offset..]);
            offset += 16;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], RecordChecksum.Compute(span[..offset]));
        return bytes;
    }

    /// <summary>Parses a manifest; returns null and the reason when it is damaged or foreign.</summary>
    internal static CheckpointManifest? TryParse(ReadOnlySpan<byte> bytes, out string? reason)
    {
        reason = null;
        if (bytes.Length < 36 || !bytes[..8].SequenceEqual(Magic))
        {
            reason = "not a checkpoint manifest";
            return null;
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes[28..]);
        if (count is < 1 or > 256 || bytes.Length != 32 + (16 * count) + 4)
        {
            reason = "manifest length does not match its shard count";
            return null;
        }

        var crcOffset = 32 + (16 * count);
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes[crcOffset..]) != RecordChecksum.Compute(bytes[..crcOffset]))
        {
            reason = "manifest checksum mismatch";
            return null;
        }

        var format = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        if (format > DataDirectory.FormatVersion)
        {
            reason = $"manifest format {format} is newer than {DataDirectory.FormatVersion}";
            return null;
        }

        var tokens = new Guid[count];
        for (var i = 0; i < count; i++)
        {
            tokens[i] = new Guid(bytes.Slice(32 + (16 * i), 16));
        }

        return new CheckpointManifest(
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[12..]),
            BinaryPrimitives.ReadInt64LittleEndian(bytes[20..]),
            tokens);
    }

    /// <summary>Writes the manifest durably: temp file, flush to disk, atomic rename.</summary>
    internal void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName(Sequence));
        var tmp = path + ".tmp";
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Serialize());
            stream.Flush(flushToDisk: true);
        }

        File.Move(tmp, path, overwrite: true);
    }
}
