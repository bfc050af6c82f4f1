using BenchmarkDotNet.Attributes;
using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Benchmarks.Codec;

/// <summary>
/// CRC32C over a 4 KiB payload: our hardware-instruction loop against a plain byte-at-a-time
/// table implementation written here as the reference (the classic approach without intrinsics).
/// </summary>
[MemoryDiagnoser]
public class Crc32CBenchmarks
{
    private static readonly uint[] Table = BuildTable();
    private readonly byte[] _data = new byte[4096];

    [GlobalSetup]
    public void Setup()
    {
        new Random(7).NextBytes(_data);

        // The ratio only means something if both compute the same function.
        if (TableDriven() != Hardware())
        {
            throw new InvalidOperationException("The reference CRC32C and ours disagree.");
        }
    }

    [Benchmark(Baseline = true)]
    public uint TableDriven()
    {
        var crc = 0xFFFF_FFFFu;
        foreach (var b in _data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    [Benchmark]
    public uint Hardware() => Crc32C.Compute(_data);

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var value = i;
            for (var bit = 0; bit < 8; bit++)
            {
                value = (value & 1) != 0 ? (value >> 1) ^ 0x82F6_3B78u : value >> 1;
            }

            table[i] = value;
        }

        return table;
    }
}
