using SharpFuzz;

namespace CretoAI.Fast.Fuzz;

/// <summary>
/// Fuzzing entry point (see tests/fuzz/README.md).
/// <c>CretoAI.Fast.Fuzz frame|handshake|consensus</c> runs under AFL++ (SharpFuzz out-of-process mode);
/// <c>CretoAI.Fast.Fuzz frame|handshake|consensus --replay DIR</c> runs every file in DIR once, in process;
/// <c>CretoAI.Fast.Fuzz gen-corpus DIR</c> writes the seed corpus.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "gen-corpus")
        {
            CorpusGenerator.Write(args[1]);
            return 0;
        }

        if (args.Length is 0 or > 3 || (args.Length > 1 && args[1] != "--replay") || (args.Length == 2))
        {
            return Usage();
        }

        Action<ReadOnlySpan<byte>>? target = args[0] switch
        {
            "frame" => FuzzTargets.Frame,
            "handshake" => FuzzTargets.Handshake,
            "consensus" => FuzzTargets.Consensus,
            _ => null,
        };
        if (target is null)
        {
            return Usage();
        }

        if (args.Length == 3)
        {
            var files = Directory.GetFiles(args[2]);
            foreach (var file in files)
            {
                target(File.ReadAllBytes(file));
            }

            Console.WriteLine($"{files.Length} inputs replayed through '{args[0]}' without a crash");
            return 0;
        }

        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            target(memory.GetBuffer().AsSpan(0, (int)memory.Length));
        });
        return 0;
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: CretoAI.Fast.Fuzz frame|handshake|consensus [--replay DIR] | gen-corpus DIR");
        return 2;
    }
}
