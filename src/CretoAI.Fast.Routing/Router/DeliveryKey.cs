using CretoAI.Fast.Core;

namespace CretoAI.Fast.Routing.Router;

/// <summary>What a recipient's node remembers to answer a repeated message without delivering it again.</summary>
public readonly record struct DeliveryKey(Hash32 Recipient, MessageKey Message);
