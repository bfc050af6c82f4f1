namespace CretoAI.Fast.Node.Tests.Infrastructure;

/// <summary>
/// A test class whose tests keep their files (validators' data directories) under one fresh folder
/// in the system temp folder, <see cref="Root"/>, deleted when the class's test is done.
/// </summary>
public abstract class TempRootTests(string prefix) : IDisposable
{
    protected string Root { get; } = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}
