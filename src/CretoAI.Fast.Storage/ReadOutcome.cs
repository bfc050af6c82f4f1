namespace CretoAI.Fast.Storage;

/// <summary>Result slot a read writes into (on the caller's stack).</summary>
internal struct ReadOutcome
{
    public int Length;
    public bool Found;
}
