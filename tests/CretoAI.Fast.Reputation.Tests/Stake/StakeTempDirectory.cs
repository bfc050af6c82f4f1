namespace CretoAI.Fast.Reputation.Tests.Stake;

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
internal sealed class StakeTempDirectory : IDisposable
{
    public StakeTempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cretoai-stake-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort; the OS temp cleaner gets the rest.
        }
    }
}
