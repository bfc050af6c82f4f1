using CretoAI.Fast.Consensus.Messages.Codec;
using CretoAI.Fast.Fuzz;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests.Codec;

/// <summary>
/// Replays the consensus seed corpus and every committed fuzzing input (tests/fuzz) through the
/// <c>consensus</c> fuzz target, the same code AFL++ runs, so a crash found once stays fixed.
/// </summary>
public sealed class ConsensusFuzzRegressionTests
{
    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string>();
        var fuzz = Path.Combine(RepositoryRoot(), "tests", "fuzz");
        foreach (var folder in new[] { Path.Combine("corpus", "consensus"), "regressions", Path.Combine("corpus", "frame"), Path.Combine("corpus", "handshake") })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(fuzz, folder)).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(fuzz, file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Input_runs_through_the_consensus_target_without_an_exception(string relativePath) =>
        FuzzTargets.Consensus(File.ReadAllBytes(Path.Combine(RepositoryRoot(), "tests", "fuzz", relativePath)));

    [Fact]
    public void The_seed_corpus_is_valid_so_the_fuzzer_starts_past_the_first_check()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryRoot(), "tests", "fuzz", "corpus", "consensus"));
        Assert.True(files.Length >= 10, $"expected the generated consensus corpus, found {files.Length} files");
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            var decoded = ConsensusCodec.TryRead(bytes, ConsensusCodecLimits.Default, out _) == ConsensusDecodeError.None
                || CommittedBlockCodec.TryRead(bytes, ConsensusCodecLimits.Default, out _, out _) == ConsensusDecodeError.None
                || CommittedBlockCodec.TryReadBatch(bytes, ConsensusCodecLimits.Default, out _) == ConsensusDecodeError.None
                || SyncRequestPayload.TryRead(bytes, out _) == ConsensusDecodeError.None;
            Assert.True(decoded, $"{Path.GetFileName(file)} decodes with no consensus decoder");
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CretoAI.Fast.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("CretoAI.Fast.sln not found above " + AppContext.BaseDirectory);
    }
}
