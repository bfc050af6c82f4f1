using System.Text;
using System.Text.Json.Nodes;
using CretoAI.Fast.Consensus.Validators;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Node.Chain;
using CretoAI.Fast.Reputation.Ledger;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Node.Tests.Chain;

public sealed class GenesisFileTests : IDisposable
{
    /// <summary>
    /// The chain id of <see cref="TestGenesis"/>. Pinned: if this changes, every existing chain's id
    /// changes with it, and that must be a deliberate new <see cref="ChainGenesis.CanonicalDomain"/> version.
    /// </summary>
    private const string PinnedChainId = "40baf55f650c56250d536e92d4537dbb38f65278e771537cef3f6e7570598d6a";

    private readonly string _directory = Directory.CreateTempSubdirectory("cretoai-genesis-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Fixed_genesis_has_the_pinned_chain_id()
    {
        Assert.Equal(PinnedChainId, TestGenesis.Create().ChainId.ToString());
        Assert.Equal(PinnedChainId, GenesisFile.Parse(Encoding.UTF8.GetBytes(TestGenesis.Json())).ChainId.ToString());
    }

    [Fact]
    public void Chain_id_is_sha3_of_the_canonical_bytes_which_start_with_the_domain()
    {
        var genesis = TestGenesis.Create();
        var bytes = genesis.ToCanonicalBytes();
        Assert.Equal(Sha3.Hash256(bytes), genesis.ChainId);
        Assert.Equal("cretoai-fast/genesis/v1"u8.ToArray(), bytes[..23]);
        Assert.Equal(bytes, TestGenesis.Create().ToCanonicalBytes());

        // The layout docs/operations.md states: domain, name, three scalars, ledger rules, validators.
        Assert.Equal(192, LedgerRules.CanonicalSize);
        Assert.Equal(23 + (2 + 12) + 8 + 8 + 4 + (4 + 192) + 4 + (4 * ((2 + 5) + (4 + 2592) + 8 + 8 + 4)), bytes.Length);
    }

    [Fact]
    public void Save_then_load_gives_the_same_parameters_and_chain_id()
    {
        var path = Path.Combine(_directory, "genesis.json");
        var genesis = TestGenesis.Create();
        GenesisFile.Save(genesis, path);
        var loaded = GenesisFile.Load(path);

        Assert.Equal(genesis.ChainId, loaded.ChainId);
        Assert.Equal(genesis.ChainName, loaded.ChainName);
        Assert.Equal(genesis.GenesisTimeMs, loaded.GenesisTimeMs);
        Assert.Equal(genesis.Validators.Count, loaded.Validators.Count);
        for (var i = 0; i < genesis.Validators.Count; i++)
        {
            Assert.Equal(genesis.Validators[i].Name, loaded.Validators[i].Name);
            Assert.Equal(genesis.Validators[i].PublicKey.ToArray(), loaded.Validators[i].PublicKey.ToArray());
            Assert.Equal(genesis.Validators[i].Stake, loaded.Validators[i].Stake);
            Assert.Equal(genesis.Validators[i].Balance, loaded.Validators[i].Balance);
            Assert.Equal(genesis.Validators[i].ReputationPpm, loaded.Validators[i].ReputationPpm);
        }

        Assert.Equal(genesis.LedgerRules.ToCanonicalBytes(), loaded.LedgerRules.ToCanonicalBytes());
        Assert.Equal(GenesisFile.ToJson(genesis), File.ReadAllText(path));
    }

    [Fact]
    public void Save_refuses_to_replace_an_existing_file_unless_told()
    {
        var path = Path.Combine(_directory, "genesis.json");
        File.WriteAllText(path, "{}");
        Assert.Throws<IOException>(() => GenesisFile.Save(TestGenesis.Create(), path));
        Assert.Equal("{}", File.ReadAllText(path));
        GenesisFile.Save(TestGenesis.Create(), path, overwrite: true);
        Assert.Equal(TestGenesis.Create().ChainId, GenesisFile.Load(path).ChainId);
    }

    [Fact]
    public void Reformatting_reordering_and_comments_do_not_change_the_chain_id()
    {
        var node = JsonNode.Parse(TestGenesis.Json())!;
        var reordered = Reverse(node)!;
        var minified = reordered.ToJsonString();
        var commented = "// a comment\n/* another */\n" + reordered.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }).Replace("\n", "\n\n    ", StringComparison.Ordinal);

        Assert.NotEqual(TestGenesis.Json(), minified);
        Assert.Equal(TestGenesis.Create().ChainId, GenesisFile.Parse(Encoding.UTF8.GetBytes(minified)).ChainId);
        Assert.Equal(TestGenesis.Create().ChainId, GenesisFile.Parse(Encoding.UTF8.GetBytes(commented)).ChainId);
    }

    [Fact]
    public void Changing_any_parameter_changes_the_chain_id()
    {
        var original = TestGenesis.Create().ChainId;
        var leaves = Leaves(JsonNode.Parse(TestGenesis.Json())!, string.Empty).ToList();
        Assert.True(leaves.Count > 50, $"only {leaves.Count} leaves");
        var unchangeable = new List<string>();
        foreach (var path in leaves)
        {
            var changed = false;
            foreach (var mutate in Mutations())
            {
                var document = JsonNode.Parse(TestGenesis.Json())!;
                if (!mutate(Navigate(document, path, out var parent, out var key), parent, key))
                {
                    continue;
                }

                ChainGenesis mutated;
                try
                {
                    mutated = GenesisFile.Parse(Encoding.UTF8.GetBytes(document.ToJsonString()));
                }
                catch (GenesisException)
                {
                    continue; // Not a valid genesis: no chain id at all.
                }

                Assert.NotEqual(original, mutated.ChainId);
                changed = true;
                break;
            }

            if (!changed)
            {
                unchangeable.Add(path);
            }
        }

        // The format tag only has one valid value and the start reputation must be the decay kernel's.
        Assert.Equal(["format", "ledger_rules.reputation.start_ppm"], unchangeable);
    }

    public static TheoryData<string, string, string> BadGenesis => new()
    {
        { "validators[2].public_key", "\"abcdef012345\"", "validators[2].public_key: expected 5184 hex characters (a 2592-byte ML-DSA-87 public key), got 12" },
        { "validators[1].public_key", "\"" + new string('g', 5184) + "\"", "validators[1].public_key: not hex: character 'g' at position 0" },
        { "validators[3].public_key", "@validators[0].public_key", "validators[3].public_key: the same key as validators[0]" },
        { "validators[1].name", "\"node0\"", "validators[1].name: 'node0' is also the name of validators[0]" },
        { "validators[1].name", "\"node 1\"", "validators[1].name: 'node 1' has the character ' '" },
        { "validators", "[]", "validators: at least one validator is required" },
        { "validators[0].stake", "999", "validators[0].stake: 999 is outside the ledger's bond limits ledger_rules.stake.minimum_bond..maximum_bond (1,000..1,000,000)" },
        { "validators[0].stake", "1000001", "validators[0].stake: 1,000,001 is outside the ledger's bond limits" },
        { "validators[0].stake", "50000", "validators[0].stake: 50,000 is below voting_weight_rules.minimum_stake (100,000): the validator would have no voting weight" },
        { "validators[0].stake", "-5", "validators[0].stake: expected an unsigned integer" },
        { "validators[0].stake", "\"1000\"", "validators[0].stake: expected an unsigned integer" },
        { "validators[0].reputation_ppm", "1000001", "validators[0].reputation_ppm: 1,000,001 is above 1,000,000" },
        { "validators[0].balance", "18446744073709551615", "validators[0].balance: the stakes and balances of all validators add up to more than 2^64 - 1 units" },
        { "ledger_rules.stake.minimum_bond", "<remove>", "ledger_rules.stake.minimum_bond: required" },
        { "validators[2].stake", "<remove>", "validators[2].stake: required" },
        { "voting_weight_rules", "<remove>", "voting_weight_rules: required" },
        { "ledger_rules.stake.maximum_bond", "500", "ledger_rules.stake.maximum_bond: 500 is below MinimumBond" },
        { "ledger_rules.reputation.vote_cast_ppm", "-5", "ledger_rules.reputation.vote_cast_ppm: -5 ppm: a reward is 0..1,000,000" },
        { "ledger_rules.reputation.half_life_ms", "1000", "ledger_rules.reputation.half_life_ms:" },
        { "adaptive_quorum_rules.high_byzantine_percent", "1", "adaptive_quorum_rules.high_byzantine_percent: Adaptive quorum rule HighByzantinePercent must be in Elevated..100" },
        { "voting_weight_rules.cap_percent", "0", "voting_weight_rules.cap_percent: 0 is outside 1..100 %" },
        { "genesis_time_ms", "1767225600", "genesis_time_ms: 1767225600 is not a Unix time in milliseconds" },
        { "epoch_length_blocks", "1001", "epoch_length_blocks: 1,001 blocks must be a positive multiple of ledger_rules.participation_window_blocks (10)" },
        { "base_round_timeout_ms", "0", "base_round_timeout_ms: 0 ms is outside 10..3,600,000" },
        { "max_transactions_per_block", "0", "max_transactions_per_block: 0 is outside 1..65,536" },
        { "chain_name", "\"\"", "chain_name: required" },
        { "format", "\"cretoai-fast/genesis/v2\"", "format: 'cretoai-fast/genesis/v2' is not a format this build reads (cretoai-fast/genesis/v1)" },
        { "ledger_rules.stake.surprise", "1", "ledger_rules.stake.surprise: unknown field 'surprise'" },
    };

    [Theory]
    [MemberData(nameof(BadGenesis))]
    public void Invalid_genesis_is_refused_naming_the_file_field_and_reason(string path, string value, string expected)
    {
        var document = JsonNode.Parse(TestGenesis.Json())!;
        var target = Navigate(document, path, out var parent, out var key);
        _ = target;
        JsonNode? replacement = value switch
        {
            "<remove>" => null,
            _ when value.StartsWith('@') => JsonNode.Parse(Navigate(JsonNode.Parse(TestGenesis.Json())!, value[1..], out _, out _)!.ToJsonString()),
            _ => JsonNode.Parse(value),
        };
        Set(parent, key, replacement, remove: value == "<remove>");

        var file = Path.Combine(_directory, "genesis.json");
        File.WriteAllText(file, document.ToJsonString());
        var error = Assert.Throws<GenesisException>(() => GenesisFile.Load(file));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"genesis file '{file}': ", error.Message, StringComparison.Ordinal);
        Assert.Equal(file, error.FilePath);
        Assert.Equal(path, error.Field);
    }

    [Fact]
    public void A_field_given_twice_is_refused()
    {
        var json = TestGenesis.Json().Replace("\"chain_name\": \"cretoai-test\",", "\"chain_name\": \"cretoai-test\", \"chain_name\": \"other\",", StringComparison.Ordinal);
        var error = Assert.Throws<GenesisException>(() => GenesisFile.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains("appears more than once", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{", "not valid JSON")]
    [InlineData("null", "expected a JSON object")]
    [InlineData("[1]", "(document): expected an object")]
    public void Malformed_json_is_refused(string json, string expected)
    {
        var error = Assert.Throws<GenesisException>(() => GenesisFile.Parse(Encoding.UTF8.GetBytes(json), "g.json"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("'g.json'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_reported_with_its_path()
    {
        var path = Path.Combine(_directory, "nope.json");
        var error = Assert.Throws<GenesisException>(() => GenesisFile.Load(path));
        Assert.Equal($"genesis file '{path}': the file does not exist.", error.Message);
    }

    [Fact]
    public void Genesis_built_in_code_is_validated_too()
    {
        var genesis = new ChainGenesis
        {
            ChainName = "x",
            GenesisTimeMs = TestGenesis.GenesisTimeMs,
            EpochLengthBlocks = 1000,
            Validators = [new GenesisValidator("a", new byte[12], 1_000_000)],
        };
        var error = Assert.Throws<GenesisException>(() => genesis.ChainId);
        Assert.Equal("validators[0].public_key", error.Field);
        Assert.Null(error.FilePath);
    }

    [Fact]
    public void Validator_set_uses_genesis_order_node_ids_and_the_ledgers_genesis_weights()
    {
        var genesis = TestGenesis.Create();
        var set = genesis.CreateValidatorSet();
        var weights = ValidatorLedger.GenesisWeights(genesis.CreateLedgerValidators(), genesis.WeightRules);

        Assert.Equal(0UL, set.Epoch);
        Assert.Equal(4, set.Count);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(Sha3.Hash256(TestGenesis.PublicKey(i)), set[i].NodeId);
            Assert.Equal(weights[i], set[i].Weight);
            Assert.True(set[i].Weight > 0);
        }

        Assert.Same(set, genesis.CreateValidatorSet());

        // Four validators cannot all stay under a 15 % cap, so the default rules make them equal;
        // without a binding cap, different stakes and reputations give different weights.
        Assert.Equal(set[0].Weight, set[3].Weight);
        var uncapped = new ChainGenesis
        {
            ChainName = genesis.ChainName,
            GenesisTimeMs = genesis.GenesisTimeMs,
            EpochLengthBlocks = genesis.EpochLengthBlocks,
            Validators = genesis.Validators,
            WeightRules = new Consensus.Weights.VotingWeightRules(100_000, 750_000, 100),
        };
        var uncappedSet = uncapped.CreateValidatorSet();
        Assert.True(uncappedSet[0].Weight > uncappedSet[3].Weight);
        Assert.NotEqual(genesis.ChainId, uncapped.ChainId);
    }

    [Fact]
    public void Ledger_validators_carry_balance_stake_and_reputation()
    {
        var validators = TestGenesis.Create().CreateLedgerValidators();
        Assert.Equal(4, validators.Count);
        Assert.Equal(TestGenesis.PublicKey(1), validators[1].PublicKey.ToArray());
        Assert.Equal(0UL, validators[1].Liquid);
        Assert.Equal(800_000UL, validators[1].Bonded);
        Assert.Equal(600_000U, validators[1].ReputationPpm);
        Assert.Equal(250_000UL, validators[0].Liquid);
    }

    [Fact]
    public void Consensus_config_takes_chain_parameters_from_genesis()
    {
        var genesis = new ChainGenesis
        {
            ChainName = "cfg",
            GenesisTimeMs = TestGenesis.GenesisTimeMs + 5,
            EpochLengthBlocks = 100,
            BaseRoundTimeoutMs = 750,
            MaxTransactionsPerBlock = 77,
            Validators = TestGenesis.Create().Validators,
        };
        var threat = new FixedThreatLevel(Consensus.Weights.ThreatLevel.Elevated);
        var config = genesis.CreateConsensusConfig(threat);

        Assert.Equal(genesis.ChainId, config.ChainId);
        Assert.Same(genesis.CreateValidatorSet(), config.Validators);
        Assert.Same(threat, config.ThreatLevels);
        Assert.Equal(750, config.BaseRoundTimeout);
        Assert.Equal(77, config.MaxTransactionsPerBlock);
        Assert.Equal(TestGenesis.GenesisTimeMs + 5, config.GenesisTimeMs);
        config.Validate();
    }

    [Fact]
    public void The_ledger_opens_from_genesis_and_its_rules_come_from_genesis()
    {
        var genesis = TestGenesis.Create();
        Assert.Equal(genesis.EpochLengthBlocks, genesis.LedgerRules.EpochLengthBlocks);
        Assert.Equal(genesis.StakeRules, genesis.LedgerRules.Stake);
        var ledger = new ValidatorLedger(new MemoryReplicatedState(), genesis.LedgerRules, genesis.ChainId, genesis.CreateValidatorSet(), genesis.CreateLedgerValidators());
        ledger.InitializeGenesis(genesis.GenesisTimeMs);

        Assert.Equal(1_000_000UL + 250_000 + 800_000 + 500_000 + 1_000 + 200_000 + 7, ledger.Stake.TotalSupply);
        Assert.Equal(0UL, ledger.Height);
    }

    private static JsonNode? Reverse(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Reverse().Select(p => KeyValuePair.Create(p.Key, Reverse(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Reverse)]),
        null => null,
        _ => JsonNode.Parse(node.ToJsonString()),
    };

    private static IEnumerable<string> Leaves(JsonNode node, string path)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    foreach (var leaf in Leaves(value!, path.Length == 0 ? key : $"{path}.{key}"))
                    {
                        yield return leaf;
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var leaf in Leaves(a[i]!, $"{path}[{i}]"))
                    {
                        yield return leaf;
                    }
                }

                break;
            default:
                yield return path;
                break;
        }
    }

    private delegate bool Mutation(JsonNode? value, JsonNode parent, object key);

    private static IEnumerable<Mutation> Mutations()
    {
        yield return (value, parent, key) => Replace(value, parent, key, +1);
        yield return (value, parent, key) => Replace(value, parent, key, -1);
        yield return (value, parent, key) => Replace(value, parent, key, +10);
        yield return (value, parent, key) => Replace(value, parent, key, -10);
        yield return (value, parent, key) => Double(value, parent, key);
    }

    private static bool Double(JsonNode? value, JsonNode parent, object key)
    {
        var element = value!.GetValue<System.Text.Json.JsonElement>();
        if (element.ValueKind != System.Text.Json.JsonValueKind.Number || !element.TryGetInt64(out var n))
        {
            return false;
        }

        Set(parent, key, JsonValue.Create(n * 2), remove: false);
        return true;
    }

    private static bool Replace(JsonNode? value, JsonNode parent, object key, long delta)
    {
        var element = value!.GetValue<System.Text.Json.JsonElement>();
        JsonNode replacement;
        if (element.ValueKind == System.Text.Json.JsonValueKind.Number)
        {
            if (element.TryGetInt64(out var n))
            {
                replacement = JsonValue.Create(n + delta)!;
            }
            else
            {
                replacement = JsonValue.Create(element.GetUInt64() - (ulong)Math.Abs(delta))!;
            }
        }
        else
        {
            var text = element.GetString()!;
            if (text.Length == 5184)
            {
                // A public key: change one hex digit.
                var chars = text.ToCharArray();
                chars[delta > 0 ? 100 : 200] = chars[delta > 0 ? 100 : 200] == 'a' ? 'b' : 'a';
                replacement = JsonValue.Create(new string(chars))!;
            }
            else
            {
                replacement = JsonValue.Create(delta > 0 ? text + "x" : text[..^1])!;
            }
        }

        Set(parent, key, replacement, remove: false);
        return true;
    }

    private static JsonNode? Navigate(JsonNode root, string path, out JsonNode parent, out object key)
    {
        parent = root;
        key = string.Empty;
        JsonNode? current = root;
        foreach (var segment in path.Split('.'))
        {
            var name = segment;
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            int? index = null;
            if (bracket >= 0)
            {
                name = segment[..bracket];
                index = int.Parse(segment[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
            }

            parent = current!;
            key = name;
            current = current![name];
            if (index is { } i)
            {
                parent = current!;
                key = i;
                current = current![i];
            }
        }

        return current;
    }

    private static void Set(JsonNode parent, object key, JsonNode? value, bool remove)
    {
        if (key is int index)
        {
            parent.AsArray()[index] = value;
        }
        else if (remove)
        {
            parent.AsObject().Remove((string)key);
        }
        else
        {
            parent.AsObject()[(string)key] = value;
        }
    }
}
