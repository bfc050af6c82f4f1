using System.Buffers;
using BenchmarkDotNet.Attributes;
using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Benchmarks.Codec;

/// <summary>
/// Encode and decode of one frame at three payload sizes. The goal is 0 B allocated per operation:
/// encode writes into a reused buffer writer, decode parses a prebuilt sequence in place.
/// The 4 KiB decode is also run over a sequence split into 1 KiB segments, as a pipe delivers it.
/// </summary>
[MemoryDiagnoser]
public class FrameCodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private byte[] _payload = [];
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
        _decoder = new FrameDecoder(WireLimits.DefaultMaxPayloadLength);
        var writer = new ArrayBufferWriter<byte>();
        FrameEncoder.Write(writer, PayloadBytes == 8 ? MessageType.Ping : MessageType.Pong, FrameFlags.None, 7, _payload);
        var bytes = writer.WrittenSpan.ToArray();
        _encoded = new ReadOnlySequence<byte>(bytes);
        _segmented = Segments.Split(bytes, 1024);
    }

    [Benchmark]
    public int Encode()
    {
        _output.ResetWrittenCount();
        FrameEncoder.Write(_output, MessageType.Ping, FrameFlags.None, 7, _payload);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int Decode()
    {
        var buffer = _encoded;
        _decoder.TryDecode(ref buffer, out var frame, out _);
        return frame.Header.PayloadLength;
    }

    [Benchmark]
    public int DecodeSegmented()
    {
        var buffer = _segmented;
        _decoder.TryDecode(ref buffer, out var frame, out _);
        return frame.Header.PayloadLength;
    }
}
