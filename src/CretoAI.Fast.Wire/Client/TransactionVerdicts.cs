namespace CretoAI.Fast.Wire.Client;

/// <summary>
/// Verdict codes of committed transactions in <see cref="TransactionResultEntry.Verdict"/>. They are
/// the values of the validator ledger's <c>TransactionVerdict</c> (CretoAI.Fast.Reputation, which
/// Wire cannot reference; a test pins the two together). A reader MUST accept codes it does not
/// know and treat them as "not applied".
/// </summary>
public static class TransactionVerdicts
{
    /// <summary>Applied by the ledger: every rule passed.</summary>
    public const byte Applied = 0;

    /// <summary>Ordered and committed, not interpreted by the ledger (an application payload).</summary>
    public const byte NotInterpreted = 1;

    /// <summary>Not a well-formed signed transaction.</summary>
    public const byte Malformed = 2;

    /// <summary>Signed for another chain.</summary>
    public const byte WrongChain = 3;

    /// <summary>The signature does not verify under the sender's key.</summary>
    public const byte BadSignature = 4;

    /// <summary>Well signed, but a ledger rule refused it (the reason says which).</summary>
    public const byte Rejected = 5;

    /// <summary>True for the verdicts under which the transaction took effect or was committed as intended (Applied, NotInterpreted).</summary>
    public static bool IsSuccess(byte verdict) => verdict is Applied or NotInterpreted;

    /// <summary>The snake_case name used in JSON output and logs; unknown codes are <c>unknown_N</c>.</summary>
    public static string Name(byte verdict) => verdict switch
    {
        Applied => "applied",
        NotInterpreted => "not_interpreted",
        Malformed => "malformed",
        WrongChain => "wrong_chain",
        BadSignature => "bad_signature",
        Rejected => "rejected",
        _ => $"unknown_{verdict}",
    };
}
