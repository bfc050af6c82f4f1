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

    public static string TempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "cretoai-loadgen-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
