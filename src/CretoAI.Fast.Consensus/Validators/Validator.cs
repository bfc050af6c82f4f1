using CretoAI.Fast.Core;

namespace CretoAI.Fast.Consensus.Validators;

/// <summary>
/// One member of a validator set: its identity (SHA3-256 of the public key), the public key bytes
/// signatures are checked against, and its voting weight. The weight is an input computed elsewhere
/// (stake/reputation/uptime, capped) in integer fixed point, identical on every node.
/// </summary>
public sealed class Validator
{
    public Validator(Hash32 nodeId, ReadOnlyMemory<byte> publicKey, ulong weight)
    {
        NodeId = nodeId;
        PublicKey = publicKey;
        Weight = weight;
    }

    public Hash32 NodeId { get; }

    public ReadOnlyMemory<byte> PublicKey { get; }

    public ulong Weight { get; }
}
