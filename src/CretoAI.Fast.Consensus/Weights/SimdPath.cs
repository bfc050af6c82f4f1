namespace CretoAI.Fast.Consensus.Weights;

/// <summary>
/// Which kernel a weight computation or tally runs. <see cref="Auto"/> picks the widest vector the CPU
/// accelerates; the others exist so tests can prove every path bit-identical and benchmarks can compare them.
/// </summary>
internal enum SimdPath
{
    Auto,
    Scalar,
    Vector256,
    Vector512,
}
