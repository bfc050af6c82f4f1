namespace CretoAI.Fast.LoadGen.Engine;

/// <summary>What a protocol found at the head of the receive buffer.</summary>
internal enum ReplyStatus
{
    /// <summary>Not a whole reply yet.</summary>
    NeedMoreData,

    /// <summary>The expected answer to the oldest outstanding request.</summary>
    Succeeded,

    /// <summary>A well-formed error answer to the oldest outstanding request (counted as failed, the connection goes on).</summary>
    Failed,
}
