namespace CretoAI.Fast.Cli.Commands;

/// <summary>What <see cref="VerificationBench"/> measured.</summary>
/// <param name="Verifications">Signatures verified (every one valid).</param>
/// <param name="Elapsed">Wall time of the verifying, signing excluded.</param>
/// <param name="Cpu">This process's CPU time over the same span, every thread.</param>
/// <param name="Threads">Verifier threads.</param>
internal sealed record VerificationBenchResult(long Verifications, TimeSpan Elapsed, TimeSpan Cpu, int Threads)
{
    public double PerSecond => Verifications / Elapsed.TotalSeconds;

    /// <summary>CPU microseconds per verification: the cost a validator pays for each fresh transaction.</summary>
    public double CpuMicrosecondsEach => Cpu.TotalMicroseconds / Verifications;

    /// <summary>
    /// The signature-verification bound of <paramref name="validators"/> validators sharing
    /// <paramref name="cores"/> cores, each verifying every transaction once: cores ÷ CPU per
    /// verification ÷ validators, in transactions per second.
    /// </summary>
    public double BoundTransactionsPerSecond(int cores, int validators) => cores / (CpuMicrosecondsEach / 1e6) / validators;
}
