using CretoAI.Fast.Consensus.Messages;

namespace CretoAI.Fast.Consensus.Engine;

/// <summary>
/// One input to <see cref="ConsensusEngine.Step"/>. Time comes in with every input (the engine never
/// reads a clock); <see cref="Now"/> must not go backwards between inputs.
/// </summary>
public readonly struct ConsensusInput
{
    private ConsensusInput(ConsensusInputKind kind, long now, int from, ConsensusMessage? message, ulong round, IReadOnlyList<byte[]>? transactions)
    {
        Kind = kind;
        Now = now;
        From = from;
        Message = message;
        Round = round;
        Transactions = transactions;
    }

    public ConsensusInputKind Kind { get; }

    public long Now { get; }

    /// <summary>Validator index of the authenticated peer that sent <see cref="Message"/>.</summary>
    public int From { get; }

    public ConsensusMessage? Message { get; }

    /// <summary>The round a fired timer was set for.</summary>
    public ulong Round { get; }

    public IReadOnlyList<byte[]>? Transactions { get; }

    public static ConsensusInput Received(int from, ConsensusMessage message, long now) =>
        new(ConsensusInputKind.MessageReceived, now, from, message ?? throw new ArgumentNullException(nameof(message)), 0, null);

    public static ConsensusInput TimerFired(ulong round, long now) => new(ConsensusInputKind.TimerFired, now, -1, null, round, null);

    public static ConsensusInput Offered(IReadOnlyList<byte[]> transactions, long now) =>
        new(ConsensusInputKind.TransactionsOffered, now, -1, null, 0, transactions ?? throw new ArgumentNullException(nameof(transactions)));
}
