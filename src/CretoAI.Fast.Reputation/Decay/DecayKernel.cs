namespace CretoAI.Fast.Reputation.Decay;

/// <summary>
/// Which kernel a batch decay runs. <see cref="Auto"/> picks the widest vector the CPU accelerates; the
/// others exist so tests can prove every kernel bit-identical and benchmarks can compare them. A requested
/// width the CPU lacks falls back to the next narrower one, down to <see cref="Scalar"/>.
/// </summary>
internal enum DecayKernel
{
    Auto,
    Scalar,
    Vector256,
    Vector512,
}
