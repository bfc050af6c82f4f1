using System.CommandLine;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Cli.Client;

/// <summary>
/// Which chain a client command asks the node for. By default none: the client sends the all-zero
/// chain id and learns the node's chain from its signed Welcome (docs/protocol.md §6.2), then signs
/// transactions for that chain. <c>--chain-id HEX</c> pins it: the handshake then fails with
/// ChainIdMismatch if the node serves another chain.
/// <para>
/// This is the one place to add <c>--genesis PATH</c> (chain id = GenesisFile.Load(path).ChainId)
/// once the genesis file type is on main: add the option in <see cref="AddTo"/> and resolve it in
/// <see cref="Resolve"/>; every client command picks it up.
/// </para>
/// </summary>
internal sealed class ChainIdResolver
{
    private readonly Option<string?> _chainId = new("--chain-id")
    {
        Description = "Expected chain id, 64 hex characters: the node must serve this chain. Default: learn it from the node (authenticated by the node's handshake signature).",
    };

    public void AddTo(Command command) => command.Options.Add(_chainId);

    /// <summary>The chain id to require, or <see cref="Hash32.Zero"/> to learn the node's.</summary>
    public Hash32 Resolve(ParseResult result) => Parse(result.GetValue(_chainId));

    internal static Hash32 Parse(string? hex)
    {
        if (hex is null)
        {
            return Hash32.Zero;
        }

        return Hash32.TryParse(hex, out var id) && !id.IsZero
            ? id
            : throw new InvalidSettingException("--chain-id", $"must be 64 hex characters and not all zero (got '{hex}').");
    }
}
