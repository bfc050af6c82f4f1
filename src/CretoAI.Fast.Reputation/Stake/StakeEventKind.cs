namespace CretoAI.Fast.Reputation.Stake;

/// <summary>What a stake history entry records. Persisted: never renumber.</summary>
public enum StakeEventKind : byte
{
    /// <summary>The account was created at genesis (amount: bonded at genesis).</summary>
    Genesis = 1,

    /// <summary>Liquid units bonded.</summary>
    Bond = 2,

    /// <summary>Bonded units started unbonding.</summary>
    Unbond = 3,

    /// <summary>Matured unbonding units returned to the liquid balance.</summary>
    Withdraw = 4,

    /// <summary>Units moved to the slash pool (possibly 0).</summary>
    Slash = 5,
}
