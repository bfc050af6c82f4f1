namespace CretoAI.Fast.Wire.Client;

/// <summary>
/// Names and meaning of <see cref="SubmitStatus"/> codes for clients (the CLI, the load harness):
/// the snake_case name printed and used as a JSON value, and whether a status means the transaction
/// is on its way to a block. A reader MUST treat codes it does not know as refusals.
/// </summary>
public static class SubmitStatuses
{
    /// <summary>The snake_case name of <paramref name="status"/>; unknown codes are <c>unknown_N</c>.</summary>
    public static string Name(SubmitStatus status) => status switch
    {
        SubmitStatus.Accepted => "accepted",
        SubmitStatus.Duplicate => "duplicate",
        SubmitStatus.Busy => "busy",
        SubmitStatus.Malformed => "malformed",
        SubmitStatus.BadSignature => "bad_signature",
        SubmitStatus.WrongChain => "wrong_chain",
        SubmitStatus.TooLarge => "too_large",
        SubmitStatus.Unavailable => "unavailable",
        _ => $"unknown_{(byte)status}",
    };

    /// <summary>Accepted now, or already known to the node: either way it is on its way to a block.</summary>
    public static bool IsAdmitted(SubmitStatus status) => status is SubmitStatus.Accepted or SubmitStatus.Duplicate;
}
