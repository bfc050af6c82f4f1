namespace CretoAI.Fast.Node.Tests;

/// <summary>The checkout the tests run from: the first parent of the test binary that holds CretoAI.Fast.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "CretoAI.Fast.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No CretoAI.Fast.sln above {AppContext.BaseDirectory}.");
    }
}
