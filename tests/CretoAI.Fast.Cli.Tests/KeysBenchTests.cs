using System.Text.Json;
using CretoAI.Fast.Cli.Commands;
using CretoAI.Fast.Cli.Tests.Infrastructure;
using Xunit;

namespace CretoAI.Fast.Cli.Tests;

/// <summary>
/// <c>cretoai-fast keys bench</c>: it verifies real signatures by fresh keys, reports what it
/// measured consistently, and derives the bound from it; bad options exit 2 with the option named.
/// No timing is asserted, only that the figures agree with each other.
/// </summary>
public sealed class KeysBenchTests
{
    [Fact]
    public async Task Json_reports_whole_passes_over_the_keys_and_the_bound_they_imply()
    {
        var (exit, output, error) = await CliRun.RunAsync("keys", "bench", "--seconds", "0.1", "--keys", "6", "--threads", "1", "--validators", "3", "--json");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        var verifications = root.GetProperty("verifications").GetInt64();
        var seconds = root.GetProperty("seconds").GetDouble();
        var cpu = root.GetProperty("cpu_us_per_verification").GetDouble();
        var cores = root.GetProperty("cores").GetInt32();

        // Whole passes over six keys (a batch holds all six), at least one, for at least the time asked.
        Assert.True(verifications >= 6 && verifications % 6 == 0, $"verifications {verifications}");
        Assert.True(seconds >= 0.1, $"seconds {seconds}");
        Assert.Equal(1, root.GetProperty("threads").GetInt32());
        Assert.Equal(3, root.GetProperty("validators").GetInt32());
        Assert.Equal(Environment.ProcessorCount, cores);
        Assert.InRange(root.GetProperty("per_second").GetDouble(), verifications / seconds * 0.99, verifications / seconds * 1.01);
        Assert.True(cpu > 0, $"cpu {cpu}");
        Assert.InRange(root.GetProperty("bound_tx_per_second").GetDouble(), cores / (cpu / 1e6) / 3 * 0.99, cores / (cpu / 1e6) / 3 * 1.01);
    }

    [Fact]
    public void The_bound_is_cores_over_cpu_per_verification_over_validators()
    {
        // 1,000 verifications in 70 ms of CPU: 70 µs each; 2 cores ÷ 70 µs ÷ 4 = 7,142.9 per second.
        var result = new VerificationBenchResult(1_000, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(70), Threads: 2);
        Assert.Equal(70, result.CpuMicrosecondsEach, precision: 6);
        Assert.Equal(1_000, result.PerSecond, precision: 6);
        Assert.Equal(2 / 70e-6 / 4, result.BoundTransactionsPerSecond(cores: 2, validators: 4), precision: 6);
    }

    [Fact]
    public async Task Text_output_names_the_measurement_and_the_bound()
    {
        var (exit, output, error) = await CliRun.RunAsync("keys", "bench", "--seconds", "0.1", "--keys", "4", "--threads", "1");
        Assert.True(exit == 0, error);
        Assert.Contains("ML-DSA-87 verification, fresh keys, 1 thread(s)", output, StringComparison.Ordinal);
        Assert.Contains("signature-verification bound of 4 validator(s)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--keys", "3", "--keys")]
    [InlineData("--seconds", "0", "--seconds")]
    [InlineData("--seconds", "NaN", "--seconds")]
    [InlineData("--threads", "0", "--threads")]
    [InlineData("--validators", "0", "--validators")]
    [InlineData("--validators", "1001", "--validators")]
    [InlineData("--keys", "lots", "--keys")]
    public async Task Bad_options_exit_2_naming_the_option(string option, string value, string named)
    {
        var (exit, _, error) = await CliRun.RunAsync("keys", "bench", option, value);
        Assert.Equal(2, exit);
        Assert.Contains(named, error, StringComparison.Ordinal);
    }
}
