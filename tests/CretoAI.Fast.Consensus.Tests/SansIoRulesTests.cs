using System.Text.RegularExpressions;
using Xunit;

namespace CretoAI.Fast.Consensus.Tests;

/// <summary>
/// The consensus project must stay deterministic and sans-IO: no threads, tasks, sockets, wall
/// clocks, stopwatches or randomness. A source scan enforces it (reflection would miss what the
/// compiler inlines or what hides behind a static call).
/// </summary>
public sealed partial class SansIoRulesTests
{
    [GeneratedRegex(@"\b(System\.Threading(?!\.Interlocked)|Thread\b|Task\b|Task<|ValueTask|Parallel\.|Socket|DateTime|DateTimeOffset|Stopwatch|Random\b|RandomNumberGenerator|Environment\.TickCount|TimeProvider|async\s)", RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Forbidden();

    [Fact]
    public void Consensus_source_uses_no_threads_clocks_sockets_or_randomness()
    {
        var root = FindRepositoryRoot();
        var folder = Path.Combine(root, "src", "CretoAI.Fast.Consensus");
        var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);
        var offences = new List<string>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var code = lines[i].TrimStart();
                if (code.StartsWith("//", StringComparison.Ordinal) || code.StartsWith("///", StringComparison.Ordinal) || code.StartsWith('*'))
                {
                    continue;
                }

                if (Forbidden().IsMatch(code))
                {
                    offences.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {code}");
                }
            }
        }

        Assert.True(offences.Count == 0, "Forbidden in consensus:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void The_scan_would_catch_an_offence()
    {
        Assert.Matches(Forbidden(), "var now = DateTime.UtcNow;");
        Assert.Matches(Forbidden(), "var r = new Random(1);");
        Assert.Matches(Forbidden(), "await Task.Delay(1);");
        Assert.DoesNotMatch(Forbidden(), "var block = new Block(chain);");
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CretoAI.Fast.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
