using CretoAI.Fast.Core;

namespace CretoAI.Fast.Routing.Router;

/// <summary>A routed message's identity: its sender and the sender's 64-bit message id (never 0). A retry reuses it.</summary>
public readonly record struct MessageKey(Hash32 Sender, ulong Id)
{
    public override string ToString() => $"{Sender.ToShortString()}#{Id}";
}
