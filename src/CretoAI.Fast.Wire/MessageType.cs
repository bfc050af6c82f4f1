namespace CretoAI.Fast.Wire;

/// <summary>
/// The registry of frame message types (header bytes 4–5, little-endian). The numeric values are
/// part of the wire contract in docs/protocol.md and never change meaning once assigned.
/// </summary>
public enum MessageType : ushort
{
    /// <summary>Reserved; a frame with type 0 is rejected as <see cref="WireErrorCode.UnknownMessageType"/>.</summary>
    None = 0x0000,

    /// <summary>Handshake step 1, client to server (MessagePack).</summary>
    Hello = 0x0001,

    /// <summary>Handshake step 2, server to client, carries the server's transcript signature (MessagePack).</summary>
    Welcome = 0x0002,

    /// <summary>Handshake step 3, client to server, carries the client's transcript signature (MessagePack).</summary>
    Authenticate = 0x0003,

    /// <summary>Handshake step 4, server to client: the session is open, with the server's limits (MessagePack).</summary>
    Ready = 0x0004,

    /// <summary>An error report: fixed layout (code, message). Sent before a connection is closed, or as a reply.</summary>
    Error = 0x000F,

    /// <summary>Round-trip probe: opaque payload, answered by <see cref="Pong"/> with the same payload.</summary>
    Ping = 0x0010,

    /// <summary>Reply to <see cref="Ping"/>: the same payload and correlation id, with the Response flag.</summary>
    Pong = 0x0011,

    /// <summary>Validator link: one consensus message (proposal, vote, timeout, evidence, block request/response), consensus codec payload; no reply.</summary>
    ConsensusMessage = 0x0100,

    /// <summary>Validator link: ask for committed blocks from a height, bounded in count and bytes; answered by <see cref="SyncResponse"/>.</summary>
    SyncRequest = 0x0110,

    /// <summary>Validator link: a batch of committed blocks with their commit certificates, answer to <see cref="SyncRequest"/>.</summary>
    SyncResponse = 0x0111,

    /// <summary>Client: submit one signed transaction envelope; answered by <see cref="SubmitResult"/>.</summary>
    SubmitTransaction = 0x0200,

    /// <summary>Client: the admission verdict of a submitted transaction.</summary>
    SubmitResult = 0x0201,

    /// <summary>Client: ask for the node's status; answered by <see cref="StatusReply"/>.</summary>
    StatusRequest = 0x0202,

    /// <summary>Client: the node's status (height, hashes, round, mempool, links).</summary>
    StatusReply = 0x0203,

    /// <summary>Client: ask for one committed block by height; answered by <see cref="BlockInfo"/> or an error.</summary>
    GetBlock = 0x0204,

    /// <summary>Client: a committed block's summary with its transaction ids and verdicts.</summary>
    BlockInfo = 0x0205,

    /// <summary>Client: subscribe to commits from a height; the node streams <see cref="CommitNotice"/> frames with this request's correlation id.</summary>
    Subscribe = 0x0206,

    /// <summary>Client: one committed block pushed to a subscriber (same payload as <see cref="BlockInfo"/>).</summary>
    CommitNotice = 0x0207,

    /// <summary>Agent routing: ask for a login challenge (empty payload); answered by <see cref="AgentChallenge"/>.</summary>
    AgentChallengeRequest = 0x0300,

    /// <summary>Agent routing: a fresh 32-byte nonce and the node id, to be signed by the agent's registered key.</summary>
    AgentChallenge = 0x0301,

    /// <summary>Agent routing: the agent's public key and its signature over the challenge transcript; answered by an <see cref="AgentLoginResult"/> stream.</summary>
    AgentLogin = 0x0302,

    /// <summary>Agent routing: the login verdict; on success the first frame of the login's delivery stream.</summary>
    AgentLoginResult = 0x0303,

    /// <summary>Agent routing: one message pushed to a logged-in agent on its login stream (sender id and the send as signed).</summary>
    RouteDeliver = 0x0304,

    /// <summary>Agent routing: send one signed message to an agent or to a capability tag; answered by <see cref="RouteResult"/>.</summary>
    RouteSend = 0x0305,

    /// <summary>Agent routing: the final outcome of a send.</summary>
    RouteResult = 0x0306,

    /// <summary>Agent routing: the recipient acknowledges delivered messages (sender id, message id); no answer.</summary>
    RouteAck = 0x0307,

    /// <summary>Validator link: a message (or a fan-out) for agents logged in at the receiving node; no answer frame, the outcome comes as <see cref="RouteForwardResult"/>.</summary>
    RouteForward = 0x0310,

    /// <summary>Validator link: the outcome of a forwarded message, sent back to the node that forwarded it.</summary>
    RouteForwardResult = 0x0311,

    /// <summary>Validator link: agents that logged in (or out) at the sending node.</summary>
    PresenceUpdate = 0x0312,
}
