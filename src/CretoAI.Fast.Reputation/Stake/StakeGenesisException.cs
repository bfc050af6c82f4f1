namespace CretoAI.Fast.Reputation.Stake;

/// <summary>
/// The genesis stake accounts break the rules (duplicate validator, bond outside the limits, too many
/// accounts, supply overflow). Genesis comes from a file: the node reports the message and refuses to start.
/// </summary>
public sealed class StakeGenesisException : Exception
{
    public StakeGenesisException()
    {
    }

    public StakeGenesisException(string message)
        : base(message)
    {
    }

    public StakeGenesisException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
