namespace CretoAI.Fast.Routing.Router;

/// <summary>
/// The one answer a send gets (RouteResult status byte, docs/protocol.md §12). Never renumber: the
/// values are on the wire. A reader treats a value it does not know as a refusal.
/// </summary>
public enum RouteStatus : byte
{
    /// <summary>The recipient acknowledged the message (or had already acknowledged this message id).</summary>
    Delivered = 0,

    /// <summary>A tag fan-out was accepted: queued for the matching agents here and sent on to the other nodes.</summary>
    FannedOut = 1,

    /// <summary>The connection has no logged-in agent (AgentLogin first).</summary>
    NotLoggedIn = 2,

    /// <summary>The sender is suspended by a committed decision.</summary>
    SenderSuspended = 3,

    /// <summary>The sender revoked itself (or is no longer registered).</summary>
    SenderRevoked = 4,

    /// <summary>The sender's rate budget (which grows with reputation) is used up; retry later.</summary>
    RateLimited = 5,

    /// <summary>The payload is larger than the node's limit.</summary>
    TooLarge = 6,

    /// <summary>The signature does not verify under the sender's key.</summary>
    BadSignature = 7,

    /// <summary>The recipient is not a registered agent.</summary>
    UnknownRecipient = 8,

    /// <summary>The recipient is suspended or revoked.</summary>
    RecipientInactive = 9,

    /// <summary>The recipient's mailbox is full (count or bytes); retry later.</summary>
    MailboxFull = 10,

    /// <summary>The recipient did not acknowledge within the message time-to-live.</summary>
    Expired = 11,

    /// <summary>The node is at a node-wide bound (queued bytes, mailboxes, verification queue); retry later.</summary>
    Busy = 12,

    /// <summary>The send does not follow its layout (a zero message id, a bad tag).</summary>
    Malformed = 13,

    /// <summary>A later send with the same message id took over; its answer is the one that counts.</summary>
    Superseded = 14,

    /// <summary>The node is stopping.</summary>
    Unavailable = 15,

    /// <summary>Between nodes only: the recipient is not logged in on the node a message was forwarded to.</summary>
    NotHere = 16,
}
