using System.Buffers;
using System.Text;

namespace CretoAI.Fast.LoadGen.Engine;

/// <summary>
/// RESP <c>PING</c> as a multi-bulk array (what redis-benchmark calls PING_MBULK); the answer is the
/// simple string <c>+PONG</c>, an error line <c>-…</c> counts as a failed request. RESP has no
/// request ids: replies come in request order, which the driver relies on.
/// </summary>
internal readonly struct RespPingProtocol : IRequestProtocol
{
    /// <summary>A reply line longer than this without CRLF is not RESP from a PING.</summary>
    private const int MaxLine = 4096;

    private static ReadOnlySpan<byte> Request => "*1\r\n$4\r\nPING\r\n"u8;

    private static ReadOnlySpan<byte> Pong => "PONG"u8;

    private static ReadOnlySpan<byte> CrLf => "\r\n"u8;

    public void WriteRequest(IBufferWriter<byte> output, uint sequence)
    {
        var span = output.GetSpan(Request.Length);
        Request.CopyTo(span);
        output.Advance(Request.Length);
    }

    public ReplyStatus TryReadReply(ref ReadOnlySequence<byte> buffer, uint expectedSequence)
    {
        if (buffer.IsEmpty)
        {
            return ReplyStatus.NeedMoreData;
        }

        var first = buffer.FirstSpan[0];
        if (first is not ((byte)'+' or (byte)'-'))
        {
            throw new LoadGenException($"the target does not speak RESP: a PING was answered with bytes starting '{Printable(buffer)}'");
        }

        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, CrLf))
        {
            if (buffer.Length > MaxLine)
            {
                throw new LoadGenException($"the target does not speak RESP: a {buffer.Length}-byte reply line has no CRLF");
            }

            return ReplyStatus.NeedMoreData;
        }

        buffer = buffer.Slice(reader.Position);
        if (first == (byte)'-')
        {
            return ReplyStatus.Failed;
        }

        var text = line.Slice(1);
        return text.Length == Pong.Length && (text.IsSingleSegment ? text.FirstSpan.SequenceEqual(Pong) : text.ToArray().AsSpan().SequenceEqual(Pong))
            ? ReplyStatus.Succeeded
            : ReplyStatus.Failed;
    }

    private static string Printable(ReadOnlySequence<byte> buffer)
    {
        var head = buffer.Slice(0, Math.Min(buffer.Length, 24)).ToArray();
        var text = new StringBuilder(head.Length);
        foreach (var b in head)
        {
            text.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
        }

        return text.ToString();
    }
}
