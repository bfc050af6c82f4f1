using System.Text;
using System.Text.Unicode;

namespace CretoAI.Fast.Routing.Registry;

/// <summary>
/// The body of a register or update transaction, and the tail of an agent record: an agent's display
/// name and tags (docs/agents.md).
/// <code>
/// u8  name length N     1..64
/// N   name              UTF-8, no control characters
/// u8  tag count T       0..16
/// T × (u8 length L 1..32, L bytes of [a-z0-9._-]), no tag twice
/// </code>
/// Nothing may follow the last tag. A body whose lengths do not add up is malformed; one that adds
/// up but breaks a rule gets that rule's rejection (name first, then tag count, then each tag).
/// </summary>
internal static class AgentProfile
{
    public const int MaxNameBytes = 64;
    public const int MaxTags = 16;
    public const int MaxTagBytes = 32;

    /// <summary>The longest valid profile.</summary>
    public const int MaxEncodedSize = 1 + MaxNameBytes + 1 + (MaxTags * (1 + MaxTagBytes));

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary><see cref="AgentRejection.None"/> when <paramref name="body"/> is a valid profile; otherwise why not, with a reason.</summary>
    public static AgentRejection Validate(ReadOnlySpan<byte> body, out string? reason)
    {
        // Structure: every declared length must fit, and end exactly at the end of the body.
        if (body.IsEmpty)
        {
            reason = "the body is empty; a profile is a name length, the name, a tag count and the tags";
            return AgentRejection.MalformedBody;
        }

        var nameLength = body[0];
        if (2 + nameLength > body.Length)
        {
            reason = $"the name length {nameLength} and the tag count do not fit in a body of {body.Length} bytes";
            return AgentRejection.MalformedBody;
        }

        var tagCount = body[1 + nameLength];
        var offset = 2 + nameLength;
        for (var t = 0; t < tagCount; t++)
        {
            if (offset >= body.Length || offset + 1 + body[offset] > body.Length)
            {
                reason = $"tag {t} of {tagCount} does not fit in a body of {body.Length} bytes";
                return AgentRejection.MalformedBody;
            }

            offset += 1 + body[offset];
        }

        if (offset != body.Length)
        {
            reason = $"{body.Length - offset} bytes follow the last tag";
            return AgentRejection.MalformedBody;
        }

        // Rules, in order: name, tag count, each tag.
        var name = body.Slice(1, nameLength);
        if (nameLength is 0 or > MaxNameBytes)
        {
            reason = $"a display name is 1 to {MaxNameBytes} bytes of UTF-8, got {nameLength}";
            return AgentRejection.NameInvalid;
        }

        if (!Utf8.IsValid(name))
        {
            reason = "the display name is not valid UTF-8";
            return AgentRejection.NameInvalid;
        }

        // Rune by rune on the bytes (no string): records are re-validated on every read from the store.
        for (var rest = name; !rest.IsEmpty;)
        {
            _ = Rune.DecodeFromUtf8(rest, out var rune, out var consumed);
            if (Rune.IsControl(rune))
            {
                reason = $"the display name holds the control character U+{rune.Value:X4}";
                return AgentRejection.NameInvalid;
            }

            rest = rest[consumed..];
        }

        if (tagCount > MaxTags)
        {
            reason = $"an agent has at most {MaxTags} tags, got {tagCount}";
            return AgentRejection.TooManyTags;
        }

        offset = 2 + nameLength;
        for (var t = 0; t < tagCount; t++)
        {
            var tag = body.Slice(offset + 1, body[offset]);
            var refusal = TagRefusal(tag);
            if (refusal is null)
            {
                for (int other = 2 + nameLength, u = 0; u < t; u++, other += 1 + body[other])
                {
                    if (tag.SequenceEqual(body.Slice(other + 1, body[other])))
                    {
                        refusal = $"it repeats tag {u}";
                        break;
                    }
                }
            }

            if (refusal is not null)
            {
                reason = $"tag {t} is invalid: {refusal}";
                return AgentRejection.TagInvalid;
            }

            offset += 1 + tag.Length;
        }

        reason = null;
        return AgentRejection.None;
    }

    /// <summary>The name and tags of a profile that passed <see cref="Validate"/>.</summary>
    public static (string Name, string[] Tags) Decode(ReadOnlySpan<byte> profile)
    {
        var nameLength = profile[0];
        var name = StrictUtf8.GetString(profile.Slice(1, nameLength));
        var tags = new string[profile[1 + nameLength]];
        var offset = 2 + nameLength;
        for (var t = 0; t < tags.Length; t++)
        {
            tags[t] = Encoding.ASCII.GetString(profile.Slice(offset + 1, profile[offset]));
            offset += 1 + profile[offset];
        }

        return (name, tags);
    }

    /// <summary>
    /// Lays out <paramref name="name"/> and <paramref name="tags"/> in the profile format without judging
    /// them (the registry does, on the chain); throws only for what the format cannot express.
    /// </summary>
    /// <exception cref="ArgumentException">A name or tag over 255 bytes, or more than 255 tags.</exception>
    public static byte[] Encode(string name, IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(tags);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        if (nameBytes.Length > byte.MaxValue)
        {
            throw new ArgumentException($"A name is at most 255 bytes in the body layout (64 are valid), got {nameBytes.Length}.", nameof(name));
        }

        if (tags.Count > byte.MaxValue)
        {
            throw new ArgumentException($"The body layout holds at most 255 tags (16 are valid), got {tags.Count}.", nameof(tags));
        }

        var tagBytes = new byte[tags.Count][];
        var length = 2 + nameBytes.Length;
        for (var t = 0; t < tags.Count; t++)
        {
            tagBytes[t] = Encoding.UTF8.GetBytes(tags[t] ?? throw new ArgumentException($"Tag {t} is null.", nameof(tags)));
            if (tagBytes[t].Length > byte.MaxValue)
            {
                throw new ArgumentException($"A tag is at most 255 bytes in the body layout (32 are valid), got {tagBytes[t].Length}.", nameof(tags));
            }

            length += 1 + tagBytes[t].Length;
        }

        var body = new byte[length];
        body[0] = (byte)nameBytes.Length;
        nameBytes.CopyTo(body, 1);
        var offset = 1 + nameBytes.Length;
        body[offset++] = (byte)tags.Count;
        foreach (var tag in tagBytes)
        {
            body[offset++] = (byte)tag.Length;
            tag.CopyTo(body, offset);
            offset += tag.Length;
        }

        return body;
    }

    private static string? TagRefusal(ReadOnlySpan<byte> tag)
    {
        if (tag.Length is 0 or > MaxTagBytes)
        {
            return $"a tag is 1 to {MaxTagBytes} bytes, got {tag.Length}";
        }

        foreach (var b in tag)
        {
            if (b is not ((>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'.' or (byte)'_' or (byte)'-'))
            {
                return $"byte 0x{b:x2} is not one of [a-z0-9._-]";
            }
        }

        return null;
    }
}
