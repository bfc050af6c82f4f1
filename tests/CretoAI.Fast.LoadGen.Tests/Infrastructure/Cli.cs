namespace CretoAI.Fast.LoadGen.Tests.Infrastructure;

/// <summary>Runs the loadgen command line in-process and captures what it prints.</summary>
internal static class Cli
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await LoadGenCommand.InvokeAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    // One directory per test process, named after it. Each run with a local cluster leaves ~220 MB
    // of validator data, and the test host is ended without running exit handlers, so a machine
    // that ran the suite a few dozen times filled its disk: each run removes the directories of
    // test processes that are gone.
    private static readonly Lazy<string> Root = new(() =>
    {
        var parent = Path.Combine(Path.GetTempPath(), "cretoai-loadgen-tests");
        Directory.CreateDirectory(parent);
        foreach (var stale in Directory.EnumerateDirectories(parent))
        {
            if (!IsLiveProcessDirectory(Path.GetFileName(stale)))
            {
                try
                {
                    Directory.Delete(stale, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Another run is removing it, or it is not ours to remove.
                }
            }
        }

        var root = Path.Combine(parent, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        return root;
    });

    private static bool IsLiveProcessDirectory(string name)
    {
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !int.TryParse(name.AsSpan(0, dash), out var pid))
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
    }

    public static string TempDirectory()
    {
        var path = Path.Combine(Root.Value, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
