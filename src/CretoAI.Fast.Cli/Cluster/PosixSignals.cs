using System.Runtime.InteropServices;

namespace CretoAI.Fast.Cli.Cluster;

/// <summary>Sends a signal to a process: .NET only offers SIGKILL (Process.Kill), and a node must be asked to stop with SIGTERM.</summary>
internal static partial class PosixSignals
{
    public const int SigTerm = 15;

    /// <summary>kill(2); true when the signal was sent.</summary>
    public static bool Send(int processId, int signal) => !OperatingSystem.IsWindows() && Kill(processId, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int sig);
}
