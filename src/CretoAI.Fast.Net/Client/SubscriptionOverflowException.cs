namespace CretoAI.Fast.Net.Client;

/// <summary>
/// A subscription's consumer did not take commit notices as fast as the node sent them, and the
/// client's bounded buffer filled: the subscription ended (the node was told to stop the stream)
/// rather than buffer without bound. Subscribe again from <see cref="NextHeight"/> to continue.
/// </summary>
public sealed class SubscriptionOverflowException : Exception
{
    public SubscriptionOverflowException(int buffered, ulong nextHeight)
        : base($"subscription dropped: the consumer fell {buffered} commit notices behind; resubscribe from height {nextHeight}")
    {
        Buffered = buffered;
        NextHeight = nextHeight;
    }

    public SubscriptionOverflowException()
        : base("subscription dropped: the consumer fell too far behind")
    {
    }

    public SubscriptionOverflowException(string message)
        : base(message)
    {
    }

    public SubscriptionOverflowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Notices that were buffered when the subscription was dropped (the consumer still receives them).</summary>
    public int Buffered { get; }

    /// <summary>The first height the consumer has not been given.</summary>
    public ulong NextHeight { get; }
}
