namespace CretoAI.Fast.Wire;

/// <summary>Facts about <see cref="MessageType"/> values that the codec and transport need.</summary>
public static class MessageTypes
{
    /// <summary>True for every type this protocol version defines.</summary>
    public static bool IsKnown(MessageType type) => type switch
    {
        MessageType.Hello or MessageType.Welcome or MessageType.Authenticate or MessageType.Ready => true,
        MessageType.Error or MessageType.Ping or MessageType.Pong => true,
        MessageType.ConsensusMessage or MessageType.SyncRequest or MessageType.SyncResponse => true,
        >= MessageType.SubmitTransaction and <= MessageType.CommitNotice => true,
        >= MessageType.AgentChallengeRequest and <= MessageType.RouteAck => true,
        >= MessageType.RouteForward and <= MessageType.PresenceUpdate => true,
        _ => false,
    };

    /// <summary>True for the four handshake steps, the only types allowed before a session is open.</summary>
    public static bool IsHandshake(MessageType type) =>
        type is MessageType.Hello or MessageType.Welcome or MessageType.Authenticate or MessageType.Ready;
}
