using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;

namespace CretoAI.Fast.Cli;

/// <summary>Defaults shared by the commands, stated in docs/operations.md.</summary>
internal static class CliDefaults
{
    /// <summary>Default client port of a node.</summary>
    public const int Port = 7400;

    /// <summary>Chain id of the local development network: SHA3-256 of the ASCII text "cretoai-fast/devnet".</summary>
    public static Hash32 DevnetChainId { get; } = Sha3.Hash256("cretoai-fast/devnet"u8);
}
