namespace CretoAI.Fast.Cli.Client;

/// <summary>The <c>--kind</c> values of <c>tx submit</c>. Values are only for this command line; the wire uses TransactionKind.</summary>
internal enum TransactionKindOption
{
    Payload = 0,
    Bond = 1,
    Unbond = 2,
    Withdraw = 3,
    AgentRegister = 4,
    AgentUpdate = 5,
    AgentRevoke = 6,
}
