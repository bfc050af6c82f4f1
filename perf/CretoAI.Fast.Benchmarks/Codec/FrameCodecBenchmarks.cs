using System.Buffers;
using BenchmarkDotNet.Attributes;
using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Benchmarks.Codec;

/// <summary>
/// Encode and decode of one frame at three payload sizes: a Ping with 8 bytes, 256 bytes and 4 KiB.
/// The goal is 0 B allocated per operation: encode writes into a reused buffer writer, decode parses
/// a prebuilt sequence in place. <see cref="DecodeSegmented"/> decodes the same frame from a
/// multi-segment sequence, as a pipe hands it out when a frame spans buffers: the 4 KiB frame in
/// 1 KiB segments, the smaller frames cut in two in the middle of the header (the decoder's
/// gather path, the worst case for a small frame).
/// </summary>
[MemoryDiagnoser]
public class FrameCodecBenchmarks
{
    private const int SegmentLength = 1024;

    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private byte[] _payload = [];
    private MessageType _type;
    private ReadOnlySequence<byte> _encoded;
    private ReadOnlySequence<byte> _segmented;
    private FrameDecoder _decoder;

    [Params(8, 256, 4096)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[PayloadBytes];
        new Random(42).NextBytes(_payload);
        _type = PayloadBytes == 8 ? MessageType.Ping : MessageType.Pong;
        _decoder = new FrameDecoder(WireLimits.DefaultMaxPayloadLength);

        var writer = new ArrayBufferWriter<byte>();
        FrameEncoder.Write(writer, _type, FrameFlags.None, 7, _payload);
        var bytes = writer.WrittenSpan.ToArray();
        _encoded = new ReadOnlySequence<byte>(bytes);
        _segmented = bytes.Length > SegmentLength
            ? Segments.Split(bytes, SegmentLength)
            : Segments.SplitAt(bytes, FrameHeader.Size / 2);

        // A benchmark that silently measured the error path would report a meaningless figure.
        if (_segmented.IsSingleSegment || Decode() != PayloadBytes || DecodeSegmented() != PayloadBytes)
        {
            throw new InvalidOperationException("The benchmark frames do not decode as intended.");
        }
    }

    [Benchmark]
    public int Encode()
    {
        _output.ResetWrittenCount();
        FrameEncoder.Write(_output, _type, FrameFlags.None, 7, _payload);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int Decode()
    {
        var buffer = _encoded;
        return _decoder.TryDecode(ref buffer, out var frame, out _) == DecodeStatus.Frame ? frame.Header.PayloadLength : -1;
    }

    [Benchmark]
    public int DecodeSegmented()
    {
        var buffer = _segmented;
        return _decoder.TryDecode(ref buffer, out var frame, out _) == DecodeStatus.Frame ? frame.Header.PayloadLength : -1;
    }
}
