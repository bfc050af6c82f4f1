using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.LoadGen.Console;
using CretoAI.Fast.LoadGen.Engine;
using CretoAI.Fast.LoadGen.Modes;
using CretoAI.Fast.LoadGen.Report;
using CretoAI.Fast.LoadGen.Sla;
using CretoAI.Fast.Node.Chain;
using CretoAI.Fast.Node.Settings;
using Spectre.Console;

namespace CretoAI.Fast.LoadGen;

/// <summary>
/// The <c>cretoai-fast-loadgen</c> command line: options → <see cref="LoadPlan"/>, SLA file →
/// <see cref="SlaSpec"/>, then open the mode, run its steps with live progress, judge, write
/// result.json / report.md / latency.svg. Exit codes: 0 SLA met (or, without an SLA, no request
/// failed), 1 SLA missed (or requests failed), 2 bad input or target, 130 cancelled.
/// </summary>
internal static class LoadGenCommand
{
    public const int Met = 0;
    public const int Missed = 1;
    public const int BadInput = 2;
    public const int Cancelled = 130;

    private static readonly Hash32 DevnetChainId = Sha3.Hash256("cretoai-fast/devnet"u8);

    public static RootCommand Create(TextWriter output, TextWriter error)
    {
        var mode = new Option<string>("--mode") { Description = "ping (framed Ping to a cretoai-fast node), resp-ping (RESP PING to redis-server), verify (ML-DSA-87 batch verification in-process), tx (signed transactions to a validator cluster, latency to commit).", DefaultValueFactory = _ => "ping" };
        var target = new Option<string[]>("--target") { Description = "HOST:PORT of the server. Default 127.0.0.1:7400 for ping and tx, 127.0.0.1:6379 for resp-ping. tx: repeat it (or separate with commas) to submit to several nodes; default with --testnet: every node of the testnet." };
        var connections = new Option<int?>("--connections", "-c") { Description = "Connections (verify: worker threads, default one per core; tx: default one per target, spread over the targets). Default 1." };
        var depth = new Option<int?>("--depth", "-d") { Description = "Requests in flight per connection (closed loop), or the most allowed (open loop); verify: signatures per batch; tx: transactions submitted and not yet committed. Default 1 (tx: 256)." };
        var payload = new Option<int>("--payload") { Description = "Ping payload bytes (verify: message bytes; tx: transaction body bytes). Default 32.", DefaultValueFactory = _ => 32 };
        var duration = new Option<double>("--duration") { Description = "Measured seconds per step. Default 10.", DefaultValueFactory = _ => 10 };
        var warmup = new Option<double>("--warmup") { Description = "Seconds of unmeasured load before each step's measurement. Default 2.", DefaultValueFactory = _ => 2 };
        var rate = new Option<string?>("--rate") { Description = "Open loop: offered requests/s over all connections; a comma-separated list is a ramp, one step per rate (e.g. 1000,5k,20k). Absent: closed loop." };
        var sla = new Option<string?>("--sla") { Description = "SLA file (JSON, docs/loadgen.md); the run ends with a verdict table and exit 0 (met) or 1 (missed)." };
        var outDir = new Option<string?>("--out") { Description = "Directory for result.json, report.md and latency.svg. Default artifacts/loadgen/<UTC time>." };
        var noProgress = new Option<bool>("--no-progress") { Description = "No live table: plain progress lines on stderr (also the default when stdout is not a terminal)." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress at all; only the result lines." };
        var chainId = new Option<string?>("--chain-id") { Description = "ping, tx: chain id of the node, 64 hex characters. Default for ping the devnet's; for tx learned from the node's handshake." };
        var testnet = new Option<string?>("--testnet") { Description = "tx: a testnet directory from 'cretoai-fast testnet init': its nodes are the default targets and its genesis gives the chain id." };
        var genesis = new Option<string?>("--genesis") { Description = "tx: a genesis file; transactions are signed for its chain id and every target must serve that chain." };
        var transactions = new Option<int?>("--transactions") { Description = "tx, closed loop: transactions pre-signed per step (signing is slow, so none is signed during the step). Default 10000." };
        var connectTimeout = new Option<double>("--connect-timeout") { Description = "Seconds to connect and complete the handshake or the RESP probe. Default 5.", DefaultValueFactory = _ => 5 };
        var drain = new Option<double>("--drain") { Description = "Seconds after a step's end to wait for outstanding replies before counting them failed. Default 5.", DefaultValueFactory = _ => 5 };

        var root = new RootCommand("cretoai-fast-loadgen: latency-SLA load harness (open loop with coordinated-omission correction, or closed loop) for a cretoai-fast node, redis-server, or the signature verifier.")
        {
            mode, target, connections, depth, payload, duration, warmup, rate, sla, outDir, noProgress, quiet, chainId, connectTimeout, drain, testnet, genesis, transactions,
        };

        root.SetAction((result, cancellationToken) => GuardAsync(error, async () =>
        {
            var modeName = result.GetValue(mode) ?? "ping";
            var targets = result.GetValue(target);
            var plan = BuildPlan(
                modeName,
                targets is { Length: > 0 } ? string.Join(',', targets) : null,
                result.GetValue(connections),
                result.GetValue(depth),
                result.GetValue(payload),
                result.GetValue(duration),
                result.GetValue(warmup),
                result.GetValue(rate),
                result.GetValue(chainId),
                result.GetValue(connectTimeout),
                result.GetValue(drain),
                result.GetValue(testnet),
                result.GetValue(genesis),
                result.GetValue(transactions));
            var slaSpec = result.GetValue(sla) is { } slaPath ? SlaParser.Load(slaPath) : null;
            var interactive = !result.GetValue(noProgress) && !result.GetValue(quiet) && !System.Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
            IProgressView view = interactive ? new SpectreProgressView(AnsiConsole.Console) : new PlainProgressView(error, result.GetValue(quiet));
            var directory = result.GetValue(outDir) ?? Path.Combine("artifacts", "loadgen", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            var commandLine = "cretoai-fast-loadgen " + string.Join(' ', result.Tokens.Select(t => t.Value));
            return await RunAsync(plan, slaSpec, view, directory, commandLine, output, cancellationToken).ConfigureAwait(false);
        }));
        return root;
    }

    /// <summary>Parses and runs a command line; a command line that does not parse is bad input (exit 2), like any other.</summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var parsed = Create(output, error).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}").ConfigureAwait(false);
            }

            return BadInput;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }).ConfigureAwait(false);
    }

    /// <summary>Runs a plan end to end; separated from option parsing so tests can call it.</summary>
    public static async Task<int> RunAsync(LoadPlan plan, SlaSpec? sla, IProgressView view, string outDirectory, string commandLine, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(output);
        var started = DateTime.UtcNow;
        await using var mode = LoadModes.Create(plan);
        await mode.OpenAsync(cancellationToken).ConfigureAwait(false);
        var steps = await view.RunAsync(live => LoadRunner.RunAsync(plan, mode, live, cancellationToken)).ConfigureAwait(false);

        foreach (var step in steps)
        {
            await output.WriteLineAsync(step.ToSummaryLine()).ConfigureAwait(false);
            if (step.ToFailuresLine() is { } failures)
            {
                await output.WriteLineAsync(failures).ConfigureAwait(false);
            }
        }

        IReadOnlyList<SlaVerdict> verdicts = sla is null ? [] : SlaEvaluator.Evaluate(sla, steps);
        int exitCode;
        bool? met = null;
        if (sla is not null)
        {
            met = SlaEvaluator.AllMet(verdicts);
            exitCode = met.Value ? Met : Missed;
            foreach (var verdict in verdicts)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"verdict step={verdict.Step} {verdict.Criterion.Replace(' ', '_')} limit=\"{verdict.Limit}\" measured=\"{verdict.Measured}\" {(verdict.Met ? "MET" : "MISSED")}")).ConfigureAwait(false);
            }

            await output.WriteLineAsync($"SLA \"{sla.Name}\": {(met.Value ? "MET" : "MISSED")}").ConfigureAwait(false);
        }
        else
        {
            exitCode = steps.All(s => s.Failed == 0 && s.Succeeded > 0) ? Met : Missed;
        }

        var report = new RunReport(
            "cretoai-fast-loadgen",
            started.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            MachineDescription(),
            commandLine,
            mode.Name,
            mode.Target,
            plan.IsOpenLoop ? "open" : "closed",
            plan.Duration.TotalSeconds,
            plan.Warmup.TotalSeconds,
            steps,
            sla,
            verdicts,
            met,
            exitCode);
        WriteArtifacts(report, outDirectory);
        await output.WriteLineAsync($"report: {Path.Combine(outDirectory, "report.md")} (result.json, latency.svg)").ConfigureAwait(false);
        return exitCode;
    }

    internal static LoadPlan BuildPlan(string mode, string? target, int? connections, int? depth, int payload, double duration, double warmup, string? rates, string? chainId, double connectTimeout, double drain, string? testnet = null, string? genesis = null, int? transactions = null)
    {
        if (Array.IndexOf(LoadModes.Names, mode) < 0)
        {
            throw new LoadGenException($"--mode '{mode}' is unknown; expected one of {string.Join(", ", LoadModes.Names)}");
        }

        var tx = string.Equals(mode, "tx", StringComparison.Ordinal);
        Require(tx || (testnet is null && genesis is null && transactions is null), "--testnet, --genesis and --transactions are options of --mode tx");
        var defaultPort = string.Equals(mode, "resp-ping", StringComparison.Ordinal) ? 6379 : 7400;
        var endpoints = target is null
            ? tx && testnet is not null ? TestnetTargets(testnet) : [ParseEndpoint($"127.0.0.1:{defaultPort}")]
            : target.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(ParseEndpoint).ToList();
        Require(endpoints.Count > 0, "--target needs at least one HOST:PORT");
        Require(tx || endpoints.Count == 1, $"--target: mode '{mode}' takes one target (several are for --mode tx)");
        var endpoint = endpoints[0];
        var workers = connections ?? (string.Equals(mode, "verify", StringComparison.Ordinal) ? Environment.ProcessorCount : tx ? endpoints.Count : 1);
        Require(workers is >= 1 and <= 10_000, $"--connections must be between 1 and 10000 (got {workers})");
        var inFlight = depth ?? (tx ? 256 : 1);
        var presign = transactions ?? 10_000;
        Require(presign is >= 1 and <= 1_000_000, $"--transactions must be between 1 and 1000000 (got {presign})");
        Require(inFlight is >= 1 and <= 65_536, $"--depth must be between 1 and 65536 (got {inFlight})");
        Require(payload is >= 0 and <= 1024 * 1024, $"--payload must be between 0 and 1048576 bytes (got {payload})");
        Require(duration is > 0 and <= 86_400, $"--duration must be more than 0 and at most 86400 seconds (got {duration})");
        Require(warmup is >= 0 and <= 86_400, $"--warmup must be between 0 and 86400 seconds (got {warmup})");
        Require(connectTimeout is > 0 and <= 3600, $"--connect-timeout must be more than 0 and at most 3600 seconds (got {connectTimeout})");
        Require(drain is > 0 and <= 3600, $"--drain must be more than 0 and at most 3600 seconds (got {drain})");
        Require(!tx || payload <= Wire.Transactions.SignedTransaction.MaxBodyLength, $"--payload: a transaction body is at most {Wire.Transactions.SignedTransaction.MaxBodyLength} bytes (got {payload})");
        Require((chainId is null ? 0 : 1) + (genesis is null ? 0 : 1) + (testnet is null ? 0 : 1) <= 1, "give the chain once: --chain-id, --genesis or --testnet");
        var chain = tx ? Hash32.Zero : DevnetChainId;
        if (chainId is not null && (!Hash32.TryParse(chainId, out chain) || chain.IsZero))
        {
            throw new LoadGenException($"--chain-id must be 64 hex characters and not all zero (got '{chainId}')");
        }

        if (genesis is not null)
        {
            chain = GenesisChainId(genesis, "--genesis");
        }
        else if (testnet is not null)
        {
            chain = GenesisChainId(TestnetDirectory.GenesisPath(testnet, 0), "--testnet");
        }

        return new LoadPlan(mode, endpoint, workers, inFlight, payload, TimeSpan.FromSeconds(duration), TimeSpan.FromSeconds(warmup), ParseRates(rates), chain, TimeSpan.FromSeconds(connectTimeout), TimeSpan.FromSeconds(drain), endpoints, presign);
    }

    /// <summary>Every node of a <c>testnet init</c> directory, at the listen address of its settings file.</summary>
    internal static IReadOnlyList<EndPoint> TestnetTargets(string directory)
    {
        var count = TestnetDirectory.CountNodes(directory);
        Require(count > 0, $"--testnet '{directory}' holds no testnet: no {Path.Combine("node0", TestnetDirectory.ConfigFileName)} (create one with 'cretoai-fast testnet init --out {directory}')");
        var endpoints = new List<EndPoint>(count);
        for (var i = 0; i < count; i++)
        {
            var config = TestnetDirectory.ConfigPath(directory, i);
            endpoints.Add(TestnetDirectory.TryReadListen(config) ?? throw new LoadGenException($"--testnet: {config} has no readable 'listen' address; give the nodes with --target"));
        }

        return endpoints;
    }

    private static Hash32 GenesisChainId(string path, string option)
    {
        try
        {
            return GenesisFile.Load(path).ChainId;
        }
        catch (GenesisException ex)
        {
            throw new LoadGenException($"{option}: {ex.Message}", ex);
        }
    }

    /// <summary>"1000,5k,1.5M" → [1000, 5000, 1500000].</summary>
    internal static IReadOnlyList<double> ParseRates(string? text)
    {
        var rates = new List<double>();
        if (text is null)
        {
            return rates;
        }

        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var scale = item.EndsWith('k') || item.EndsWith('K') ? 1e3 : item.EndsWith('M') ? 1e6 : 1;
            var number = scale == 1 ? item : item[..^1];
            if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || !(value * scale is > 0 and <= 100_000_000))
            {
                throw new LoadGenException($"--rate entry '{item}' is not a rate; write requests per second, e.g. 1000, 5k, 1.5M (0 < rate <= 100M)");
            }

            rates.Add(value * scale);
        }

        Require(rates.Count > 0, "--rate needs at least one rate (omit it for a closed-loop run)");
        return rates;
    }

    internal static EndPoint ParseEndpoint(string text)
    {
        if (IPEndPoint.TryParse(text, out var ip) && ip.Port != 0 && text.Contains(':', StringComparison.Ordinal))
        {
            return ip;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new LoadGenException($"--target '{text}' is not HOST:PORT with a port 1..65535 (for example 127.0.0.1:7400)");
        }

        var host = text[..colon];
        return IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
    }

    internal static async Task<int> GuardAsync(TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return Cancelled;
        }
        catch (LoadGenException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }
    }

    private static void WriteArtifacts(RunReport report, string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, "result.json"), JsonSerializer.Serialize(report, LoadGenJsonContext.Default.RunReport));
            File.WriteAllText(Path.Combine(directory, "latency.svg"), PercentilePlot.Render(report.Steps, report.Sla, $"{report.Mode} → {report.Target}: latency by percentile"));
            File.WriteAllText(Path.Combine(directory, "report.md"), MarkdownReport.Render(report, "latency.svg"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LoadGenException($"cannot write the report to '{directory}': {ex.Message}", ex);
        }
    }

    private static string MachineDescription()
    {
        var cpu = "unknown CPU";
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal))
                {
                    cpu = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux: the core count still says something.
        }

        return $"{Environment.ProcessorCount} cores, {cpu}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new LoadGenException(message);
        }
    }
}
