namespace CretoAI.Fast.Reputation.Decay;

/// <summary>The scalar kernel: the lazy path's function applied element by element, and the vector kernels' tail.</summary>
public static partial class ReputationDecay
{
    /// <summary>Decays elements <paramref name="start"/>.. and throws at the first bad one.</summary>
    internal static void DecayBatchScalar(ReadOnlySpan<uint> scores, ReadOnlySpan<uint> lastTicks, uint nowTick, Span<uint> output, int start)
    {
        for (var i = start; i < scores.Length; i++)
        {
            var score = scores[i];
            var lastTick = lastTicks[i];
            if (score > MaxPpm || lastTick > nowTick)
            {
                ThrowElementOutOfRange(scores, lastTicks, i, nowTick);
            }

            output[i] = DecayInRange(score, nowTick - lastTick);
        }
    }
}
