using System.Globalization;
using System.Text;
using System.Text.Json;
using CretoAI.Fast.Consensus.Weights;
using CretoAI.Fast.Core;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Reputation.Ledger;

namespace CretoAI.Fast.Node.Chain;

public sealed partial class ChainGenesis
{
    /// <summary>Longest chain name and validator name, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 64;

    /// <summary>Earliest accepted genesis time (2001-09-09): anything smaller is almost surely seconds, not milliseconds.</summary>
    public const ulong MinGenesisTimeMs = 1_000_000_000_000;

    /// <summary>Latest accepted genesis time (3000-01-01).</summary>
    public const ulong MaxGenesisTimeMs = 32_503_680_000_000;

    public const long MinBaseRoundTimeoutMs = 10;

    public const long MaxBaseRoundTimeoutMs = 3_600_000;

    public const int MaxTransactionsPerBlockLimit = 65_536;

    private bool _validated;

    /// <summary>
    /// Checks every parameter and throws <see cref="GenesisException"/> for the first bad one, naming
    /// it as a genesis-file JSON path (<c>validators[2].stake</c>) and saying why. Returns this.
    /// </summary>
    public ChainGenesis Validate()
    {
        if (_validated)
        {
            return this;
        }

        CheckName("chain_name", ChainName);
        if (GenesisTimeMs is < MinGenesisTimeMs or >= MaxGenesisTimeMs)
        {
            throw Bad("genesis_time_ms", $"{GenesisTimeMs} is not a Unix time in milliseconds between 2001 and 3000 (seconds instead of milliseconds?).");
        }

        if (BaseRoundTimeoutMs is < MinBaseRoundTimeoutMs or > MaxBaseRoundTimeoutMs)
        {
            throw Bad("base_round_timeout_ms", $"{BaseRoundTimeoutMs} ms is outside {MinBaseRoundTimeoutMs}..{MaxBaseRoundTimeoutMs:N0}.");
        }

        if (MaxTransactionsPerBlock is < 1 or > MaxTransactionsPerBlockLimit)
        {
            throw Bad("max_transactions_per_block", $"{MaxTransactionsPerBlock} is outside 1..{MaxTransactionsPerBlockLimit:N0}.");
        }

        CheckWeightRules();
        CheckQuorumRules();
        CheckLedgerRules();
        CheckValidators();
        _validated = true;
        return this;
    }

    private void CheckWeightRules()
    {
        if (WeightRules.CapPercent is 0 or > 100)
        {
            throw Bad("voting_weight_rules.cap_percent", $"{WeightRules.CapPercent} is outside 1..100 %.");
        }

        if (WeightRules.MinimumStake > VotingWeights.MaxStake)
        {
            throw Bad("voting_weight_rules.minimum_stake", $"{WeightRules.MinimumStake:N0} is above the largest stake the weight formula takes ({VotingWeights.MaxStake:N0}).");
        }

        if (WeightRules.MinimumUptimePpm > VotingWeights.PpmScale)
        {
            throw Bad("voting_weight_rules.minimum_uptime_ppm", $"{WeightRules.MinimumUptimePpm:N0} is above 1,000,000 (1.0).");
        }
    }

    private void CheckQuorumRules()
    {
        if (QuorumRules is null)
        {
            throw Bad("adaptive_quorum_rules", "required.");
        }

        try
        {
            QuorumRules.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw Bad("adaptive_quorum_rules." + Snake(e.ParamName ?? "?"), WithoutParameterSuffix(e.Message));
        }
    }

    private void CheckLedgerRules()
    {
        if (ParticipationWindowBlocks is 0 or > 1_000_000)
        {
            throw Bad("ledger_rules.participation_window_blocks", $"{ParticipationWindowBlocks:N0} blocks is outside 1..1,000,000.");
        }

        if (EpochLengthBlocks == 0 || EpochLengthBlocks % ParticipationWindowBlocks != 0)
        {
            throw Bad("epoch_length_blocks", $"{EpochLengthBlocks:N0} blocks must be a positive multiple of ledger_rules.participation_window_blocks ({ParticipationWindowBlocks:N0}).");
        }

        if (DowntimeWindows == 0)
        {
            throw Bad("ledger_rules.downtime_windows", "must be at least 1.");
        }

        if (StakeRules is null)
        {
            throw Bad("ledger_rules.stake", "required.");
        }

        if (ReputationRules is null)
        {
            throw Bad("ledger_rules.reputation", "required.");
        }

        try
        {
            StakeRules.Validate();
        }
        catch (InvalidSettingException e)
        {
            throw Bad("ledger_rules.stake." + Snake(e.Setting), WithoutSettingPrefix(e));
        }

        try
        {
            ReputationRules.Validate();
        }
        catch (InvalidSettingException e)
        {
            throw Bad("ledger_rules.reputation." + ReputationField(e.Setting), WithoutSettingPrefix(e));
        }

        // Backstop for any rule that spans the parts above.
        try
        {
            LedgerRules.Validate();
        }
        catch (Exception e) when (e is InvalidSettingException or ArgumentException)
        {
            throw Bad("ledger_rules", e.Message);
        }
    }

    private void CheckValidators()
    {
        if (Validators is null || Validators.Count == 0)
        {
            throw Bad("validators", "at least one validator is required.");
        }

        if (Validators.Count > StakeRules.MaxAccounts)
        {
            throw Bad("validators", $"{Validators.Count:N0} validators; ledger_rules.stake.max_accounts allows {StakeRules.MaxAccounts:N0}.");
        }

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var ids = new Dictionary<Hash32, int>();
        ulong supply = 0;
        for (var i = 0; i < Validators.Count; i++)
        {
            var v = Validators[i] ?? throw Bad($"validators[{i}]", "required.");
            CheckName($"validators[{i}].name", v.Name);
            if (!names.TryAdd(v.Name, i))
            {
                throw Bad($"validators[{i}].name", $"'{v.Name}' is also the name of validators[{names[v.Name]}]; names must be unique.");
            }

            if (v.PublicKey.Length != MLDsa87.PublicKeySize)
            {
                throw Bad($"validators[{i}].public_key", $"an ML-DSA-87 public key is {MLDsa87.PublicKeySize} bytes, got {v.PublicKey.Length}.");
            }

            var id = Sha3.Hash256(v.PublicKey.Span);
            if (!ids.TryAdd(id, i))
            {
                throw Bad($"validators[{i}].public_key", $"the same key as validators[{ids[id]}] (node id {id.ToShortString()}); each validator needs its own key.");
            }

            if (v.Stake < StakeRules.MinimumBond || v.Stake > StakeRules.MaximumBond)
            {
                throw Bad($"validators[{i}].stake", $"{v.Stake:N0} is outside the ledger's bond limits ledger_rules.stake.minimum_bond..maximum_bond ({StakeRules.MinimumBond:N0}..{StakeRules.MaximumBond:N0}).");
            }

            if (v.ReputationPpm > VotingWeights.PpmScale)
            {
                throw Bad($"validators[{i}].reputation_ppm", $"{v.ReputationPpm:N0} is above 1,000,000 (1.0).");
            }

            if (!TryAdd(supply, v.Stake, out supply) || !TryAdd(supply, v.Balance, out supply))
            {
                throw Bad($"validators[{i}].balance", "the stakes and balances of all validators add up to more than 2^64 - 1 units.");
            }
        }

        var weights = ValidatorLedger.GenesisWeights(CreateLedgerValidators(), WeightRules);
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] == 0)
            {
                throw Bad(
                    $"validators[{i}].stake",
                    $"{Validators[i].Stake:N0} is below voting_weight_rules.minimum_stake ({WeightRules.MinimumStake:N0}): the validator would have no voting weight.");
            }
        }
    }

    private static bool TryAdd(ulong a, ulong b, out ulong sum)
    {
        sum = unchecked(a + b);
        return sum >= a;
    }

    private static void CheckName(string field, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw Bad(field, "required (1 to 64 of letters, digits, '.', '-', '_').");
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
        {
            throw Bad(field, $"'{name}' is longer than {MaxNameBytes} characters.");
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '.' and not '-' and not '_')
            {
                throw Bad(field, $"'{name}' has the character '{c}'; use letters, digits, '.', '-', '_'.");
            }
        }
    }

    private static GenesisException Bad(string field, string reason) => new(null, field, reason);

    private static string Snake(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    /// <summary>ReputationRules names settings <c>reputation.block-proposed</c>; the file says <c>block_proposed_ppm</c>.</summary>
    private static string ReputationField(string setting)
    {
        var stem = setting.StartsWith("reputation.", StringComparison.Ordinal) ? setting["reputation.".Length..] : setting;
        stem = stem.Replace('-', '_');
        foreach (var field in GenesisFile.ReputationFields)
        {
            if (string.Equals(field, stem, StringComparison.Ordinal) || string.Equals(field, stem + "_ppm", StringComparison.Ordinal) || string.Equals(field, stem + "_ms", StringComparison.Ordinal))
            {
                return field;
            }
        }

        return stem;
    }

    private static string WithoutSettingPrefix(InvalidSettingException e)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"Setting '{e.Setting}': ");
        return e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message;
    }

    private static string WithoutParameterSuffix(string message)
    {
        var at = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return at > 0 ? message[..at] : message;
    }
}
