using System.Buffers;
using System.Text;
using System.Text.Json;
using CretoAI.Fast.Core;
using CretoAI.Fast.Wire.Client;

namespace CretoAI.Fast.Cli.Client;

/// <summary>
/// The JSON objects the client commands (and <c>keys bench</c>) print with <c>--json</c>: one object, one line, snake_case
/// keys, hashes as lower-case hex. Written by hand with <see cref="Utf8JsonWriter"/> (no reflection;
/// NativeAOT-safe). The keys are a contract with scripts (docs/operations.md).
/// </summary>
internal static class ClientJson
{
    public static string Status(StatusMessage status) => Write(writer =>
    {
        writer.WriteNumber("height", status.Height);
        writer.WriteString("block_hash", Hex(status.BlockHash));
        writer.WriteString("state_hash", Hex(status.StateHash));
        writer.WriteNumber("round", status.Round);
        writer.WriteNumber("epoch", status.Epoch);
        writer.WriteString("node_id", Hex(status.NodeId));
        writer.WriteString("chain_id", Hex(status.ChainId));
        writer.WriteNumber("validator_index", status.ValidatorIndex);
        writer.WriteNumber("connected_validators", status.ConnectedValidators);
        writer.WriteNumber("mempool_transactions", status.MempoolTransactions);
        writer.WriteNumber("mempool_bytes", status.MempoolBytes);
        writer.WriteBoolean("catching_up", status.CatchingUp);
        writer.WriteNumber("committed_transactions", status.CommittedTransactions);
        writer.WriteNumber("threat_level", status.ThreatLevel);
    });

    public static string Block(CommittedBlockMessage block) => Write(writer =>
    {
        writer.WriteNumber("height", block.Height);
        writer.WriteString("block_hash", Hex(block.BlockHash));
        writer.WriteString("state_hash", Hex(block.StateHash));
        writer.WriteNumber("round", block.Round);
        writer.WriteNumber("timestamp_ms", block.TimestampMs);
        writer.WriteNumber("proposer", block.ProposerIndex);
        writer.WriteNumber("transaction_count", block.Transactions.Count);
        writer.WriteStartArray("transactions");
        foreach (var entry in block.Transactions)
        {
            writer.WriteStartObject();
            writer.WriteString("id", Hex(entry.Id));
            writer.WriteString("verdict", TransactionVerdicts.Name(entry.Verdict));
            WriteNullable(writer, "reason", entry.Reason);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    /// <summary>The measurement of <c>keys bench</c>, and the bound it gives for this machine.</summary>
    public static string VerificationBench(Commands.VerificationBenchResult measured, int cores, int validators) => Write(writer =>
    {
        writer.WriteNumber("verifications", measured.Verifications);
        writer.WriteNumber("seconds", Math.Round(measured.Elapsed.TotalSeconds, 3));
        writer.WriteNumber("threads", measured.Threads);
        writer.WriteNumber("per_second", Math.Round(measured.PerSecond, 1));
        writer.WriteNumber("cpu_us_per_verification", Math.Round(measured.CpuMicrosecondsEach, 2));
        writer.WriteNumber("cores", cores);
        writer.WriteNumber("validators", validators);
        writer.WriteNumber("bound_tx_per_second", Math.Round(measured.BoundTransactionsPerSecond(cores, validators), 1));
    });

    /// <summary>The outcome of <c>tx submit</c>: admission, and with --wait the commit (or null fields when not waited for).</summary>
    public static string Submission(Hash32 id, SubmitResultMessage result, ulong nonce, TransactionCommit? commit) => Write(writer =>
    {
        writer.WriteString("id", Hex(id));
        writer.WriteNumber("nonce", nonce);
        writer.WriteString("status", SubmitStatuses.Name(result.Status));
        WriteNullable(writer, "detail", result.Detail.Length == 0 ? null : result.Detail);
        if (commit is { } committed)
        {
            writer.WriteNumber("height", committed.Height);
            writer.WriteString("block_hash", Hex(committed.BlockHash));
            writer.WriteString("verdict", TransactionVerdicts.Name(committed.Entry.Verdict));
            WriteNullable(writer, "reason", committed.Entry.Reason);
        }
        else
        {
            writer.WriteNull("height");
            writer.WriteNull("block_hash");
            writer.WriteNull("verdict");
            writer.WriteNull("reason");
        }
    });

    private static string Hex(Hash32 hash) => hash.ToString();

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
