namespace CretoAI.Fast.Cli.Cluster;

/// <summary>
/// How <c>cluster up</c> creates a testnet and starts its validators. Behind an interface so the
/// orchestration is tested with in-process fakes; <see cref="LocalClusterHost"/> is the real one
/// (testnet init in process, one <c>node run</c> child process per validator).
/// </summary>
internal interface IClusterHost
{
    /// <summary>Creates a testnet of <paramref name="validators"/> nodes in <paramref name="directory"/>, node i on 127.0.0.1:(<paramref name="basePort"/> + i).</summary>
    void CreateTestnet(string directory, int validators, int basePort);

    /// <summary>Starts <c>cretoai-fast ARGUMENTS</c> in the background with stdout and stderr appended to <paramref name="logPath"/>.</summary>
    IClusterChild StartNode(IReadOnlyList<string> arguments, string logPath);
}
