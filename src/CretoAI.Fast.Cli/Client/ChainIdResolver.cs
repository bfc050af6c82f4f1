using System.CommandLine;
using CretoAI.Fast.Core;
using CretoAI.Fast.Node.Chain;

namespace CretoAI.Fast.Cli.Client;

/// <summary>
/// Which chain a client command asks the node for. By default none: the client sends the all-zero
/// chain id and learns the node's chain from its signed Welcome (docs/protocol.md §6.2), then signs
/// transactions for that chain. <c>--chain-id HEX</c> or <c>--genesis PATH</c> (the chain id of a
/// genesis file, <see cref="GenesisFile.Load"/>) pins it: the handshake then fails with
/// ChainIdMismatch if the node serves another chain.
/// </summary>
internal sealed class ChainIdResolver
{
    private readonly Option<string?> _chainId = new("--chain-id")
    {
        Description = "Expected chain id, 64 hex characters: the node must serve this chain. Default: learn it from the node (authenticated by the node's handshake signature).",
    };

    private readonly Option<string?> _genesis = new("--genesis")
    {
        Description = "Expect the chain of this genesis file (e.g. DIR/node0/genesis.json from 'testnet init'), instead of --chain-id.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_chainId);
        command.Options.Add(_genesis);
    }

    /// <summary>The chain id to require, or <see cref="Hash32.Zero"/> to learn the node's.</summary>
    public Hash32 Resolve(ParseResult result)
    {
        var hex = result.GetValue(_chainId);
        var genesis = result.GetValue(_genesis);
        if (hex is not null && genesis is not null)
        {
            throw new InvalidSettingException("--chain-id", "give either --chain-id or --genesis, not both.");
        }

        return genesis is null ? Parse(hex) : FromGenesis(genesis);
    }

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

    internal static Hash32 FromGenesis(string path)
    {
        try
        {
            return GenesisFile.Load(path).ChainId;
        }
        catch (GenesisException ex)
        {
            throw new InvalidSettingException("--genesis", ex.Message, ex);
        }
    }
}
