namespace CretoAI.Fast.Wire.Routing;

/// <summary>
/// Payload of <see cref="MessageType.AgentLogin"/> (0x0302), exactly 7,219 bytes: the agent's
/// ML-DSA-87 public key (2,592 bytes) ‖ its signature over the login transcript (4,627 bytes).
/// </summary>
public static class AgentLoginLayout
{
    public const int PublicKeyLength = 2592;

    public const int SignatureLength = 4627;

    public const int Length = PublicKeyLength + SignatureLength;

    public static WireErrorCode Check(int length) =>
        length < Length ? WireErrorCode.PayloadTooShort : length > Length ? WireErrorCode.TrailingBytes : WireErrorCode.None;
}
