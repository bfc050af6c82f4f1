namespace CretoAI.Fast.Consensus.Weights;

/// <summary>What a weight computation produced besides the weights themselves.</summary>
/// <param name="EligibleCount">Candidates that met the stake and uptime minimums (the others weigh 0).</param>
/// <param name="UncappedTotal">Sum of the weights before the cap (about <see cref="VotingWeights.WeightScale"/>).</param>
/// <param name="Cap">The largest weight allowed: a share of <paramref name="UncappedTotal"/>, see docs/weights.md.</param>
/// <param name="CappedCount">Validators held at exactly <paramref name="Cap"/>.</param>
/// <param name="TotalWeight">Sum of the final weights: the total every quorum threshold is computed from.</param>
public readonly record struct WeightSummary(int EligibleCount, ulong UncappedTotal, ulong Cap, int CappedCount, ulong TotalWeight);
