using System.IO.Compression;
using System.Text.Json;

namespace CretoAI.Fast.Crypto.Tests;

/// <summary>Finds and opens the shared known-answer vectors (../shared/testvectors beside the repository root).</summary>
internal static class TestVectors
{
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CretoAI.Fast.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("CretoAI.Fast.sln not found above " + AppContext.BaseDirectory);
    }

    public static JsonDocument OpenMLDsa87(string file)
    {
        var path = Path.Combine(RepositoryRoot(), "..", "shared", "testvectors", "mldsa87", "acvp", file);
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        return JsonDocument.Parse(gzip);
    }
}
