using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Cli.Client;

/// <summary>snake_case names of client-protocol codes, as printed and as JSON values.</summary>
internal static class ClientNames
{
    public static string Of(SubmitStatus status) => status switch
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
