using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;
using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Node.Chain.Json;
using CretoAI.Fast.Reputation.Scores;
using CretoAI.Fast.Reputation.Stake;

namespace CretoAI.Fast.Node.Chain;

/// <summary>
/// Reads and writes <c>genesis.json</c> (layout and every field: docs/operations.md). Reading is
/// strict: every parameter must be present (none silently defaults), unknown and repeated fields are
/// refused, and each error is a <see cref="GenesisException"/> naming the file, the field as a JSON
/// path and why. Comments and trailing commas are allowed; neither, nor whitespace or key order,
/// affects the chain id, which hashes the parsed values (<see cref="ChainGenesis.ToCanonicalBytes"/>).
/// </summary>
public static partial class GenesisFile
{
    /// <summary>The value of the <c>format</c> field this build reads and writes.</summary>
    public const string Format = "cretoai-fast/genesis/v1";

    /// <summary>Largest genesis file read: room for thousands of validators, not for a wrong file read whole.</summary>
    public const int MaxFileBytes = 64 * 1024 * 1024;

    private const string Required = "required: every genesis parameter is stated in the file, so the chain id never depends on a built-in default.";

    /// <summary>The JSON names of the reputation rules, for mapping the rules' own setting names to fields.</summary>
    internal static readonly string[] ReputationFields =
    [
        "start_ppm", "block_proposed_ppm", "vote_cast_ppm", "uptime_heartbeat_ppm", "report_confirmed_ppm", "equivocation_ppm",
        "double_sign_commit_ppm", "invalid_block_ppm", "invalid_signature_ppm", "prolonged_downtime_ppm", "missed_proposal_ppm",
        "missed_vote_ppm", "half_life_ms", "history_length",
    ];

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Reads and validates the genesis file at <paramref name="path"/>.</summary>
    /// <exception cref="GenesisException">Missing, unreadable, not JSON, or a field is missing or invalid (the message says which and why).</exception>
    public static ChainGenesis Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxFileBytes)
            {
                throw new GenesisException(path, string.Empty, $"{stream.Length:N0} bytes is larger than a genesis file may be ({MaxFileBytes:N0}).");
            }

            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new GenesisException(path, string.Empty, "the file does not exist.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException && e is not GenesisException)
        {
            throw new GenesisException(path, string.Empty, $"cannot read the file: {e.Message}", e);
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses and validates genesis JSON (UTF-8). <paramref name="path"/> only labels errors.</summary>
    /// <exception cref="GenesisException">Not JSON, or a field is missing or invalid.</exception>
    public static ChainGenesis Parse(ReadOnlySpan<byte> utf8Json, string? path = null)
    {
        GenesisDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(utf8Json, GenesisJsonContext.Default.GenesisDocument);
        }
        catch (JsonException e)
        {
            throw FromJsonException(e, path);
        }

        try
        {
            if (document is null)
            {
                throw new GenesisException(null, string.Empty, "the file holds 'null'; expected a JSON object.");
            }

            return FromDocument(document).Validate();
        }
        catch (GenesisException e) when (path is not null)
        {
            throw e.InFile(path);
        }
    }

    /// <summary>The genesis as indented JSON with every field stated (what <see cref="Save"/> writes).</summary>
    /// <exception cref="GenesisException">The parameters are invalid.</exception>
    public static string ToJson(ChainGenesis genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        genesis.Validate();
        return JsonSerializer.Serialize(ToDocument(genesis), GenesisJsonContext.Default.GenesisDocument) + "\n";
    }

    /// <summary>
    /// Writes <paramref name="genesis"/> to <paramref name="path"/> (mode 0644) so that the file appears
    /// whole or not at all. Without <paramref name="overwrite"/> an existing file is refused: replacing
    /// a chain's genesis is never an accident.
    /// </summary>
    /// <exception cref="GenesisException">The parameters are invalid.</exception>
    /// <exception cref="IOException">The file exists (and <paramref name="overwrite"/> is false) or cannot be written.</exception>
    public static void Save(ChainGenesis genesis, string path, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        DocumentFile.Write(path, ToJson(genesis), "genesis file", overwrite);
    }

    private static ChainGenesis FromDocument(GenesisDocument d)
    {
        var format = Require(d.Format, "format");
        if (!string.Equals(format, Format, StringComparison.Ordinal))
        {
            throw Bad("format", $"'{format}' is not a format this build reads ({Format}).");
        }

        var weights = Require(d.VotingWeightRules, "voting_weight_rules");
        var quorum = Require(d.AdaptiveQuorumRules, "adaptive_quorum_rules");
        var ledger = Require(d.LedgerRules, "ledger_rules");
        var stake = Require(ledger.Stake, "ledger_rules.stake");
        var reputation = Require(ledger.Reputation, "ledger_rules.reputation");
        var validators = Require(d.Validators, "validators");

        var weightRules = ToWeightRules(weights);
        var genesisValidators = new GenesisValidator[validators.Count];
        for (var i = 0; i < validators.Count; i++)
        {
            var v = Require(validators[i], $"validators[{i}]");
            genesisValidators[i] = new GenesisValidator(
                Require(v.Name, $"validators[{i}].name"),
                ParsePublicKey(Require(v.PublicKey, $"validators[{i}].public_key"), $"validators[{i}].public_key"),
                Require(v.Stake, $"validators[{i}].stake"),
                Require(v.ReputationPpm, $"validators[{i}].reputation_ppm"),
                Require(v.Balance, $"validators[{i}].balance"));
        }

        return new ChainGenesis
        {
            ChainName = Require(d.ChainName, "chain_name"),
            GenesisTimeMs = Require(d.GenesisTimeMs, "genesis_time_ms"),
            EpochLengthBlocks = Require(d.EpochLengthBlocks, "epoch_length_blocks"),
            BaseRoundTimeoutMs = Require(d.BaseRoundTimeoutMs, "base_round_timeout_ms"),
            MaxTransactionsPerBlock = Require(d.MaxTransactionsPerBlock, "max_transactions_per_block"),
            WeightRules = weightRules,
            QuorumRules = new AdaptiveQuorumRules
            {
                ByzantineWindowMs = Require(quorum.ByzantineWindowMs, "adaptive_quorum_rules.byzantine_window_ms"),
                CalmPeriodMs = Require(quorum.CalmPeriodMs, "adaptive_quorum_rules.calm_period_ms"),
                ElevatedByzantinePercent = Require(quorum.ElevatedByzantinePercent, "adaptive_quorum_rules.elevated_byzantine_percent"),
                HighByzantinePercent = Require(quorum.HighByzantinePercent, "adaptive_quorum_rules.high_byzantine_percent"),
                ElevatedStabilityPpm = Require(quorum.ElevatedStabilityPpm, "adaptive_quorum_rules.elevated_stability_ppm"),
                HighStabilityPpm = Require(quorum.HighStabilityPpm, "adaptive_quorum_rules.high_stability_ppm"),
                ActivationDelay = Require(quorum.ActivationDelay, "adaptive_quorum_rules.activation_delay"),
                StabilityWindowRounds = Require(quorum.StabilityWindowRounds, "adaptive_quorum_rules.stability_window_rounds"),
            },
            ParticipationWindowBlocks = Require(ledger.ParticipationWindowBlocks, "ledger_rules.participation_window_blocks"),
            DowntimeWindows = Require(ledger.DowntimeWindows, "ledger_rules.downtime_windows"),
            StakeRules = new StakeRules
            {
                MinimumBond = Require(stake.MinimumBond, "ledger_rules.stake.minimum_bond"),
                MaximumBond = Require(stake.MaximumBond, "ledger_rules.stake.maximum_bond"),
                BondLockMs = Require(stake.BondLockMs, "ledger_rules.stake.bond_lock_ms"),
                UnbondingPeriodMs = Require(stake.UnbondingPeriodMs, "ledger_rules.stake.unbonding_period_ms"),
                EquivocationSlashPercent = Require(stake.EquivocationSlashPercent, "ledger_rules.stake.equivocation_slash_percent"),
                DoubleSignCommitSlashPercent = Require(stake.DoubleSignCommitSlashPercent, "ledger_rules.stake.double_sign_commit_slash_percent"),
                InvalidBlockSlashPercent = Require(stake.InvalidBlockSlashPercent, "ledger_rules.stake.invalid_block_slash_percent"),
                InvalidSignatureSlashPercent = Require(stake.InvalidSignatureSlashPercent, "ledger_rules.stake.invalid_signature_slash_percent"),
                ProlongedDowntimeSlashPercent = Require(stake.ProlongedDowntimeSlashPercent, "ledger_rules.stake.prolonged_downtime_slash_percent"),
                MissedProposalSlashPercent = Require(stake.MissedProposalSlashPercent, "ledger_rules.stake.missed_proposal_slash_percent"),
                MissedVoteSlashPercent = Require(stake.MissedVoteSlashPercent, "ledger_rules.stake.missed_vote_slash_percent"),
                MaxPendingEntries = Require(stake.MaxPendingEntries, "ledger_rules.stake.max_pending_entries"),
                HistoryLength = Require(stake.HistoryLength, "ledger_rules.stake.history_length"),
                MaxAccounts = Require(stake.MaxAccounts, "ledger_rules.stake.max_accounts"),
            },
            ReputationRules = new ReputationRules
            {
                StartPpm = Require(reputation.StartPpm, "ledger_rules.reputation.start_ppm"),
                BlockProposedPpm = Require(reputation.BlockProposedPpm, "ledger_rules.reputation.block_proposed_ppm"),
                VoteCastPpm = Require(reputation.VoteCastPpm, "ledger_rules.reputation.vote_cast_ppm"),
                UptimeHeartbeatPpm = Require(reputation.UptimeHeartbeatPpm, "ledger_rules.reputation.uptime_heartbeat_ppm"),
                ReportConfirmedPpm = Require(reputation.ReportConfirmedPpm, "ledger_rules.reputation.report_confirmed_ppm"),
                EquivocationPpm = Require(reputation.EquivocationPpm, "ledger_rules.reputation.equivocation_ppm"),
                DoubleSignCommitPpm = Require(reputation.DoubleSignCommitPpm, "ledger_rules.reputation.double_sign_commit_ppm"),
                InvalidBlockPpm = Require(reputation.InvalidBlockPpm, "ledger_rules.reputation.invalid_block_ppm"),
                InvalidSignaturePpm = Require(reputation.InvalidSignaturePpm, "ledger_rules.reputation.invalid_signature_ppm"),
                ProlongedDowntimePpm = Require(reputation.ProlongedDowntimePpm, "ledger_rules.reputation.prolonged_downtime_ppm"),
                MissedProposalPpm = Require(reputation.MissedProposalPpm, "ledger_rules.reputation.missed_proposal_ppm"),
                MissedVotePpm = Require(reputation.MissedVotePpm, "ledger_rules.reputation.missed_vote_ppm"),
                HalfLifeMs = Require(reputation.HalfLifeMs, "ledger_rules.reputation.half_life_ms"),
                HistoryLength = Require(reputation.HistoryLength, "ledger_rules.reputation.history_length"),
            },
            Validators = genesisValidators,
        };
    }

    private static VotingWeightRules ToWeightRules(WeightRulesDocument w)
    {
        var minimumStake = Require(w.MinimumStake, "voting_weight_rules.minimum_stake");
        var minimumUptime = Require(w.MinimumUptimePpm, "voting_weight_rules.minimum_uptime_ppm");
        var cap = Require(w.CapPercent, "voting_weight_rules.cap_percent");
        if (minimumStake > VotingWeights.MaxStake)
        {
            throw Bad("voting_weight_rules.minimum_stake", $"{minimumStake:N0} is above the largest stake the weight formula takes ({VotingWeights.MaxStake:N0}).");
        }

        if (minimumUptime > VotingWeights.PpmScale)
        {
            throw Bad("voting_weight_rules.minimum_uptime_ppm", $"{minimumUptime:N0} is above 1,000,000 (1.0).");
        }

        if (cap is 0 or > 100)
        {
            throw Bad("voting_weight_rules.cap_percent", $"{cap} is outside 1..100 %.");
        }

        return new VotingWeightRules(minimumStake, minimumUptime, cap);
    }

    private static GenesisDocument ToDocument(ChainGenesis g) => new()
    {
        Format = Format,
        ChainName = g.ChainName,
        GenesisTimeMs = g.GenesisTimeMs,
        EpochLengthBlocks = g.EpochLengthBlocks,
        BaseRoundTimeoutMs = g.BaseRoundTimeoutMs,
        MaxTransactionsPerBlock = g.MaxTransactionsPerBlock,
        VotingWeightRules = new WeightRulesDocument
        {
            MinimumStake = g.WeightRules.MinimumStake,
            MinimumUptimePpm = g.WeightRules.MinimumUptimePpm,
            CapPercent = g.WeightRules.CapPercent,
        },
        AdaptiveQuorumRules = new QuorumRulesDocument
        {
            ByzantineWindowMs = g.QuorumRules.ByzantineWindowMs,
            CalmPeriodMs = g.QuorumRules.CalmPeriodMs,
            ElevatedByzantinePercent = g.QuorumRules.ElevatedByzantinePercent,
            HighByzantinePercent = g.QuorumRules.HighByzantinePercent,
            ElevatedStabilityPpm = g.QuorumRules.ElevatedStabilityPpm,
            HighStabilityPpm = g.QuorumRules.HighStabilityPpm,
            ActivationDelay = g.QuorumRules.ActivationDelay,
            StabilityWindowRounds = g.QuorumRules.StabilityWindowRounds,
        },
        LedgerRules = new LedgerRulesDocument
        {
            ParticipationWindowBlocks = g.ParticipationWindowBlocks,
            DowntimeWindows = g.DowntimeWindows,
            Stake = new StakeRulesDocument
            {
                MinimumBond = g.StakeRules.MinimumBond,
                MaximumBond = g.StakeRules.MaximumBond,
                BondLockMs = g.StakeRules.BondLockMs,
                UnbondingPeriodMs = g.StakeRules.UnbondingPeriodMs,
                EquivocationSlashPercent = g.StakeRules.EquivocationSlashPercent,
                DoubleSignCommitSlashPercent = g.StakeRules.DoubleSignCommitSlashPercent,
                InvalidBlockSlashPercent = g.StakeRules.InvalidBlockSlashPercent,
                InvalidSignatureSlashPercent = g.StakeRules.InvalidSignatureSlashPercent,
                ProlongedDowntimeSlashPercent = g.StakeRules.ProlongedDowntimeSlashPercent,
                MissedProposalSlashPercent = g.StakeRules.MissedProposalSlashPercent,
                MissedVoteSlashPercent = g.StakeRules.MissedVoteSlashPercent,
                MaxPendingEntries = g.StakeRules.MaxPendingEntries,
                HistoryLength = g.StakeRules.HistoryLength,
                MaxAccounts = g.StakeRules.MaxAccounts,
            },
            Reputation = new ReputationRulesDocument
            {
                StartPpm = g.ReputationRules.StartPpm,
                BlockProposedPpm = g.ReputationRules.BlockProposedPpm,
                VoteCastPpm = g.ReputationRules.VoteCastPpm,
                UptimeHeartbeatPpm = g.ReputationRules.UptimeHeartbeatPpm,
                ReportConfirmedPpm = g.ReputationRules.ReportConfirmedPpm,
                EquivocationPpm = g.ReputationRules.EquivocationPpm,
                DoubleSignCommitPpm = g.ReputationRules.DoubleSignCommitPpm,
                InvalidBlockPpm = g.ReputationRules.InvalidBlockPpm,
                InvalidSignaturePpm = g.ReputationRules.InvalidSignaturePpm,
                ProlongedDowntimePpm = g.ReputationRules.ProlongedDowntimePpm,
                MissedProposalPpm = g.ReputationRules.MissedProposalPpm,
                MissedVotePpm = g.ReputationRules.MissedVotePpm,
                HalfLifeMs = g.ReputationRules.HalfLifeMs,
                HistoryLength = g.ReputationRules.HistoryLength,
            },
        },
        Validators = [.. ToValidatorDocuments(g.Validators)],
    };

    private static IEnumerable<ValidatorDocument?> ToValidatorDocuments(IReadOnlyList<GenesisValidator> validators)
    {
        foreach (var v in validators)
        {
            yield return new ValidatorDocument
            {
                Name = v.Name,
                PublicKey = Convert.ToHexStringLower(v.PublicKey.Span),
                Stake = v.Stake,
                Balance = v.Balance,
                ReputationPpm = v.ReputationPpm,
            };
        }
    }

    private static byte[] ParsePublicKey(string hex, string field)
    {
        const int Expected = MLDsa87.PublicKeySize * 2;
        if (hex.Length != Expected)
        {
            throw Bad(field, $"expected {Expected} hex characters (a {MLDsa87.PublicKeySize}-byte ML-DSA-87 public key), got {hex.Length}.");
        }

        var bad = hex.AsSpan().IndexOfAnyExcept(HexDigits);
        if (bad >= 0)
        {
            throw Bad(field, $"not hex: character '{hex[bad]}' at position {bad}.");
        }

        return Convert.FromHexString(hex);
    }

    private static T Require<T>(T? value, string field)
        where T : class =>
        value ?? throw Bad(field, Required);

    private static T Require<T>(T? value, string field)
        where T : struct =>
        value ?? throw Bad(field, Required);

    private static GenesisException Bad(string field, string reason) => new(null, field, reason);

    /// <summary>Turns the serializer's error into one that names the field the way the docs do.</summary>
    private static GenesisException FromJsonException(JsonException e, string? path)
    {
        var field = e.Path is { Length: > 0 } p ? (p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : p.TrimStart('$')) : string.Empty;
        var line = e.LineNumber is { } l ? $" (line {l + 1})" : string.Empty;
        var message = e.Message;
        string reason;
        if (UnmappedProperty().Match(message) is { Success: true } unmapped)
        {
            var name = unmapped.Groups["name"].Value;
            field = field.EndsWith(name, StringComparison.Ordinal) || field.Length == 0 ? field : field + "." + name;
            reason = $"unknown field '{name}'{line}; see docs/operations.md for the genesis fields.";
        }
        else if (message.Contains("uplicate", StringComparison.Ordinal))
        {
            reason = $"the field appears more than once{line}.";
        }
        else if (ConversionTarget().Match(message) is { Success: true } conversion)
        {
            reason = $"expected {Describe(conversion.Groups["type"].Value)}{line}.";
        }
        else
        {
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            reason = $"not valid JSON{line}: {(cut > 0 ? message[..cut] : message)}";
        }

        return new GenesisException(path, field.Length == 0 ? "(document)" : field, reason, e);
    }

    private static string Describe(string type) => type switch
    {
        _ when type.Contains("System.UInt64", StringComparison.Ordinal) => "an unsigned integer (0..18446744073709551615)",
        _ when type.Contains("System.Int64", StringComparison.Ordinal) => "an integer (64-bit)",
        _ when type.Contains("System.UInt32", StringComparison.Ordinal) => "an unsigned integer (0..4294967295)",
        _ when type.Contains("System.Int32", StringComparison.Ordinal) => "an integer (-2147483648..2147483647)",
        _ when type.Contains("System.String", StringComparison.Ordinal) => "a string",
        _ when type.Contains("List", StringComparison.Ordinal) => "an array",
        _ => "an object",
    };

    [GeneratedRegex("The JSON property '(?<name>[^']*)' could not be mapped", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex("could not be converted to (?<type>[^ ]+?)\\.? Path", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ConversionTarget();
}
