using CretoAI.Fast.Core;

namespace CretoAI.Fast.Routing.Router;

/// <summary>
/// Capability tags on the wire: 1..32 bytes of [a-z0-9._-], zero-padded to 32 bytes (the registry's
/// tag rules, docs/agents.md). Held as a <see cref="Hash32"/> so the router compares them without
/// allocating.
/// </summary>
public static class RouterTags
{
    /// <summary>The padded form of <paramref name="tag"/>; false when it is not a valid tag.</summary>
    public static bool TryEncode(string tag, out Hash32 encoded)
    {
        ArgumentNullException.ThrowIfNull(tag);
        encoded = default;
        if (tag.Length is 0 or > Hash32.Size)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Hash32.Size];
        bytes.Clear();
        for (var i = 0; i < tag.Length; i++)
        {
            var c = tag[i];
            if (!IsTagChar(c))
            {
                return false;
            }

            bytes[i] = (byte)c;
        }

        encoded = new Hash32(bytes);
        return true;
    }

    /// <summary>True when the 32 bytes are a valid padded tag: tag characters, then only zeros, at least one character.</summary>
    public static bool IsValid(Hash32 encoded)
    {
        Span<byte> bytes = stackalloc byte[Hash32.Size];
        encoded.CopyTo(bytes);
        var length = bytes.IndexOf((byte)0);
        if (length < 0)
        {
            length = Hash32.Size;
        }

        if (length == 0 || bytes[length..].ContainsAnyExcept((byte)0))
        {
            return false;
        }

        foreach (var b in bytes[..length])
        {
            if (!IsTagChar((char)b))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsTagChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-';
}
