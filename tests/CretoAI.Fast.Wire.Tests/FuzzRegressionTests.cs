using CretoAI.Fast.Fuzz;
using Xunit;

namespace CretoAI.Fast.Wire.Tests;

/// <summary>
/// Replays the fuzzing seed corpus and every input AFL++ ever crashed the codec with
/// (tests/fuzz/regressions) through the same targets the fuzzer runs. A crash found once stays
/// fixed.
/// </summary>
public class FuzzRegressionTests
{
    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string>();
        var fuzz = Path.Combine(RepositoryRoot(), "tests", "fuzz");
        foreach (var folder in new[] { "regressions", Path.Combine("corpus", "frame"), Path.Combine("corpus", "handshake") })
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
    public void Input_runs_through_both_targets_without_an_exception(string relativePath)
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepositoryRoot(), "tests", "fuzz", relativePath));
        FuzzTargets.Frame(bytes);
        FuzzTargets.Handshake(bytes);
    }

    [Fact]
    public void The_known_crash_inputs_are_present()
    {
        // The regression folder must not silently empty: it holds the inputs of the bin-length bug.
        var regressions = Directory.GetFiles(Path.Combine(RepositoryRoot(), "tests", "fuzz", "regressions"));
        Assert.True(regressions.Length >= 3, $"expected the committed crash inputs, found {regressions.Length}");
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
