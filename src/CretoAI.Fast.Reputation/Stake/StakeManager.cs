using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using CretoAI.Fast.Core;
using CretoAI.Fast.Storage;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Reputation.Stake;

/// <summary>
/// The validators' stake: a deterministic state machine over <see cref="IReplicatedState"/>. Every
/// validator applies the same committed operations in the same order, with the committing block's
/// <see cref="BlockContext"/> as the only clock, and ends with byte-identical state.
/// <para>
/// Per validator: liquid units, bonded units (bond lots locked for <see cref="StakeRules.BondLockMs"/>,
/// then unlocked), unbonding entries (withdrawable after <see cref="StakeRules.UnbondingPeriodMs"/>,
/// slashable until withdrawn), a nonce. Chain-wide: the total supply, fixed at genesis, and the slash
/// pool. Invariant after every operation: Σ(liquid + bonded + unbonding) + pool = supply.
/// </para>
/// <para>
/// Bond, unbond and withdrawal carry the account's next nonce (last + 1). A refused operation returns
/// its <see cref="StakeRejection"/> and writes nothing, nonce included. Accounts are created at
/// genesis only. The rules are in docs/stake.md. Not thread-safe: the node applies blocks from one thread.
/// </para>
/// </summary>
public sealed class StakeManager
{
    private readonly IReplicatedState _state;
    private readonly StakeRules _rules;
    private ReadOnlyCollection<Hash32> _validators;

    /// <summary>Opens the stake state in <paramref name="state"/> (empty before <see cref="InitializeGenesis"/>).</summary>
    /// <exception cref="InvalidSettingException"><paramref name="rules"/> are invalid.</exception>
    /// <exception cref="StorageException">The stake ledger or validator directory is damaged.</exception>
    public StakeManager(IReplicatedState state, StakeRules rules)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rules);
        rules.Validate();
        _state = state;
        _rules = rules;

        // The directory never changes after genesis, so it is the one thing kept in memory; it is
        // rebuilt from the state here, so a restarted node lists exactly what the state holds.
        _validators = ReadOnlyCollection<Hash32>.Empty;
        if (StakeLedgerRecord.TryLoad(state, out var ledger))
        {
            if (ledger.AccountCount > (uint)rules.MaxAccounts)
            {
                throw StakeStateIo.Corrupt("stake ledger", $"{ledger.AccountCount} accounts, at most {rules.MaxAccounts} allowed");
            }

            _validators = Array.AsReadOnly(ValidatorDirectory.Load(state, (int)ledger.AccountCount));
        }
    }

    public StakeRules Rules => _rules;

    /// <summary>True once <see cref="InitializeGenesis"/> has run on this state.</summary>
    public bool IsInitialized => StakeLedgerRecord.TryLoad(_state, out _);

    /// <summary>Every validator with a stake account, ascending by id bytes (the same order on every replica).</summary>
    public IReadOnlyList<Hash32> Validators => _validators;

    /// <summary>Units created at genesis; no operation changes it.</summary>
    public ulong TotalSupply => LoadLedger().Supply;

    /// <summary>Units slashed so far from all validators, held in the ledger (never burned).</summary>
    public ulong SlashPool => LoadLedger().Pool;

    /// <summary>
    /// Creates the genesis accounts and fixes the total supply at Σ(liquid + bonded). Genesis bonds are
    /// unlocked. Nothing is written unless every account is valid.
    /// </summary>
    /// <exception cref="StakeGenesisException">Duplicate validator, more than <see cref="StakeRules.MaxAccounts"/> accounts, a non-zero bond outside the limits, or a supply beyond 2^64 − 1.</exception>
    /// <exception cref="InvalidOperationException">Genesis was already initialized on this state.</exception>
    public void InitializeGenesis(IReadOnlyList<GenesisStake> accounts, BlockContext genesis)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        if (IsInitialized)
        {
            throw new InvalidOperationException("The stake genesis is already initialized on this state; it can be applied once per chain.");
        }

        if (accounts.Count > _rules.MaxAccounts)
        {
            throw new StakeGenesisException($"The genesis has {accounts.Count:N0} stake accounts; at most {_rules.MaxAccounts:N0} ({nameof(StakeRules.MaxAccounts)}) are allowed.");
        }

        var sorted = new GenesisStake[accounts.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = accounts[i];
        }

        Array.Sort(sorted, static (a, b) => ValidatorDirectory.Compare(a.Validator, b.Validator));
        ulong supply = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            var account = sorted[i];
            if (i > 0 && sorted[i - 1].Validator == account.Validator)
            {
                throw new StakeGenesisException($"Validator {account.Validator} has more than one genesis stake account.");
            }

            if (account.Bonded != 0 && (account.Bonded < _rules.MinimumBond || account.Bonded > _rules.MaximumBond))
            {
                throw new StakeGenesisException($"Validator {account.Validator} bonds {account.Bonded:N0} at genesis; a bond is 0 or within {_rules.MinimumBond:N0}..{_rules.MaximumBond:N0}.");
            }

            if (!TryAdd(supply, account.Liquid, out supply) || !TryAdd(supply, account.Bonded, out supply))
            {
                throw new StakeGenesisException("The genesis stake accounts add up to more than 2^64 − 1 units.");
            }
        }

        var ids = new Hash32[sorted.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            var account = sorted[i];
            ids[i] = account.Validator;
            Save(account.Validator, new StakeAccountRecord { Liquid = account.Liquid, UnlockedBonded = account.Bonded });
            StakeHistoryLog.Append(_state, account.Validator, new StakeHistoryEntry(StakeEventKind.Genesis, genesis.Height, genesis.TimestampMs, account.Bonded, null), _rules.HistoryLength);
        }

        ValidatorDirectory.Save(_state, ids);
        new StakeLedgerRecord(supply, 0, (uint)ids.Length).Save(_state);
        _validators = Array.AsReadOnly(ids);
    }

    /// <summary>
    /// Moves <paramref name="amount"/> liquid units into a new bond lot, locked until
    /// <paramref name="at"/> + <see cref="StakeRules.BondLockMs"/>. Bonds in one block share a lot.
    /// </summary>
    public StakeOutcome Bond(Hash32 validator, ulong amount, ulong nonce, BlockContext at)
    {
        if (!TryBegin(validator, nonce, out var account, out var refusal))
        {
            return refusal;
        }

        if (amount == 0)
        {
            return StakeOutcome.Refused(StakeRejection.ZeroAmount, "a bond of 0 units moves nothing");
        }

        if (amount > account.Liquid)
        {
            return StakeOutcome.Refused(StakeRejection.InsufficientBalance, $"bond of {amount:N0} exceeds the liquid balance of {account.Liquid:N0}");
        }

        var bonded = account.BondedTotal;
        if (!TryAdd(bonded, amount, out var after) || after > _rules.MaximumBond)
        {
            return StakeOutcome.Refused(StakeRejection.AboveMaximum, $"bond of {amount:N0} would leave {(UInt128)bonded + amount:N0} bonded, above the maximum of {_rules.MaximumBond:N0}");
        }

        if (after < _rules.MinimumBond)
        {
            return StakeOutcome.Refused(StakeRejection.BelowMinimum, $"bond of {amount:N0} would leave {after:N0} bonded, below the minimum of {_rules.MinimumBond:N0}");
        }

        account.FoldUnlocked(at.TimestampMs, _rules.BondLockMs);
        if (!StakeAccountRecord.TryAddLot(account.Lots, amount, at.TimestampMs, _rules.MaxPendingEntries))
        {
            return StakeOutcome.Refused(StakeRejection.TooManyPending, $"{account.Lots.Count} bond lots are still locked, the most allowed; bond again once the oldest unlocks");
        }

        // A zero lock unlocks the new lot at once.
        account.FoldUnlocked(at.TimestampMs, _rules.BondLockMs);
        account.Liquid -= amount;
        account.Nonce = nonce;
        Commit(validator, account, new StakeHistoryEntry(StakeEventKind.Bond, at.Height, at.TimestampMs, amount, null));
        return StakeOutcome.Moved(amount);
    }

    /// <summary>
    /// Moves <paramref name="amount"/> unlocked bonded units into an unbonding entry, withdrawable from
    /// <paramref name="at"/> + <see cref="StakeRules.UnbondingPeriodMs"/>. Unbonds in one block share an entry.
    /// </summary>
    public StakeOutcome Unbond(Hash32 validator, ulong amount, ulong nonce, BlockContext at)
    {
        if (!TryBegin(validator, nonce, out var account, out var refusal))
        {
            return refusal;
        }

        if (amount == 0)
        {
            return StakeOutcome.Refused(StakeRejection.ZeroAmount, "an unbond of 0 units moves nothing");
        }

        var bonded = account.BondedTotal;
        if (amount > bonded)
        {
            return StakeOutcome.Refused(StakeRejection.InsufficientBalance, $"unbond of {amount:N0} exceeds the bonded total of {bonded:N0}");
        }

        var remaining = bonded - amount;
        if (remaining != 0 && remaining < _rules.MinimumBond)
        {
            return StakeOutcome.Refused(StakeRejection.BelowMinimum, $"unbond of {amount:N0} would leave {remaining:N0} bonded, below the minimum of {_rules.MinimumBond:N0} (unbond all {bonded:N0} or keep at least the minimum)");
        }

        account.FoldUnlocked(at.TimestampMs, _rules.BondLockMs);
        if (amount > account.UnlockedBonded)
        {
            return StakeOutcome.Refused(StakeRejection.StillLocked, $"unbond of {amount:N0} exceeds the unlocked bonded stake of {account.UnlockedBonded:N0}; {bonded - account.UnlockedBonded:N0} is bonded less than {_rules.BondLockMs:N0} ms ago");
        }

        if (!StakeAccountRecord.TryAddLot(account.Unbondings, amount, at.TimestampMs, _rules.MaxPendingEntries))
        {
            return StakeOutcome.Refused(StakeRejection.TooManyPending, $"{account.Unbondings.Count} unbonding entries are pending, the most allowed; withdraw matured ones or wait");
        }

        account.UnlockedBonded -= amount;
        account.Nonce = nonce;
        Commit(validator, account, new StakeHistoryEntry(StakeEventKind.Unbond, at.Height, at.TimestampMs, amount, null));
        return StakeOutcome.Moved(amount);
    }

    /// <summary>Moves every unbonding entry whose period is over at <paramref name="at"/> into the liquid balance.</summary>
    public StakeOutcome Withdraw(Hash32 validator, ulong nonce, BlockContext at)
    {
        if (!TryBegin(validator, nonce, out var account, out var refusal))
        {
            return refusal;
        }

        var amount = account.TakeMatured(at.TimestampMs, _rules.UnbondingPeriodMs);
        if (amount == 0)
        {
            return StakeOutcome.Refused(StakeRejection.NothingToWithdraw, account.Unbondings.Count == 0
                ? "nothing is unbonding"
                : $"no unbonding entry has matured; the oldest ({account.Unbondings[0].Amount:N0}) matures at {(UInt128)account.Unbondings[0].SinceMs + _rules.UnbondingPeriodMs:N0} ms");
        }

        account.FoldUnlocked(at.TimestampMs, _rules.BondLockMs);
        account.Liquid = checked(account.Liquid + amount);
        account.Nonce = nonce;
        Commit(validator, account, new StakeHistoryEntry(StakeEventKind.Withdraw, at.Height, at.TimestampMs, amount, null));
        return StakeOutcome.Moved(amount);
    }

    /// <summary>
    /// Punishes <paramref name="offence"/> proven by <paramref name="evidenceId"/>, once per evidence id.
    /// Slashes floor(slashable × percent / 100), slashable being bonded (locked or not) plus unbonding
    /// units, rounding in the validator's favour. Taken from the newest bond lot backwards, then the
    /// unlocked bonded stake, then the newest unbonding entry backwards; it goes to the slash pool.
    /// An offence whose percentage is 0 still uses up the evidence.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offence"/> is not a defined value (the evidence decoder's bug).</exception>
    public StakeOutcome Slash(Hash32 validator, Offence offence, Hash32 evidenceId, BlockContext at)
    {
        var percent = (uint)_rules.SlashPercent(offence);
        if (SlashEvidenceRecord.TryLoad(_state, evidenceId, out var used))
        {
            return StakeOutcome.Refused(StakeRejection.AlreadySlashed, $"evidence {evidenceId.ToShortString()} already punished {used.Offence} of validator {used.Validator.ToShortString()} at height {used.Height:N0}");
        }

        if (!TryLoad(validator, out var account))
        {
            return StakeOutcome.Refused(StakeRejection.UnknownAccount, UnknownReason(validator));
        }

        // An account without a ledger means the state lost a record: slashing now would reset the supply.
        if (!StakeLedgerRecord.TryLoad(_state, out var ledger))
        {
            throw StakeStateIo.Corrupt("stake ledger", "missing while stake accounts exist");
        }

        account.FoldUnlocked(at.TimestampMs, _rules.BondLockMs);
        var slashable = checked(account.BondedTotal + account.UnbondingTotal);
        var amount = (ulong)((UInt128)slashable * percent / 100);

        var rest = StakeAccountRecord.TakeNewestFirst(account.Lots, amount);
        var fromUnlocked = Math.Min(rest, account.UnlockedBonded);
        account.UnlockedBonded -= fromUnlocked;
        rest = StakeAccountRecord.TakeNewestFirst(account.Unbondings, rest - fromUnlocked);
        Debug.Assert(rest == 0, "The slash is at most the slashable stake.");
        if (rest != 0)
        {
            throw new InvalidOperationException($"Slash of {amount} left {rest} untaken from a slashable stake of {slashable}.");
        }

        account.SlashedTotal = checked(account.SlashedTotal + amount);
        Save(validator, account);
        new StakeLedgerRecord(ledger.Supply, checked(ledger.Pool + amount), ledger.AccountCount).Save(_state);
        new SlashEvidenceRecord(validator, offence, at.Height, at.TimestampMs, amount).Save(_state, evidenceId);
        StakeHistoryLog.Append(_state, validator, new StakeHistoryEntry(StakeEventKind.Slash, at.Height, at.TimestampMs, amount, offence), _rules.HistoryLength);
        return StakeOutcome.Moved(amount);
    }

    /// <summary>True when <paramref name="validator"/> has a stake account.</summary>
    public bool HasAccount(Hash32 validator) => TryLoad(validator, out _);

    /// <summary>The account of <paramref name="validator"/>; lock and maturity as of <paramref name="atTimeMs"/>.</summary>
    /// <exception cref="KeyNotFoundException">The validator has no stake account.</exception>
    public StakeAccountView GetAccount(Hash32 validator, ulong atTimeMs)
    {
        if (!TryLoad(validator, out var account))
        {
            throw new KeyNotFoundException($"Validator {validator} has no stake account.");
        }

        return new StakeAccountView(
            account.Liquid,
            account.BondedTotal,
            account.LockedAt(atTimeMs, _rules.BondLockMs),
            account.UnbondingTotal,
            account.WithdrawableAt(atTimeMs, _rules.UnbondingPeriodMs),
            account.SlashedTotal,
            account.Nonce);
    }

    /// <summary>The bonded total of <paramref name="validator"/> (locked part included): its stake in the voting weight; 0 without an account.</summary>
    public ulong BondedStake(Hash32 validator) => TryLoad(validator, out var account) ? account.BondedTotal : 0;

    /// <summary>The last <see cref="StakeRules.HistoryLength"/> applied operations of <paramref name="validator"/>, oldest first.</summary>
    public IReadOnlyList<StakeHistoryEntry> History(Hash32 validator) =>
        StakeHistoryLog.Load(_state, validator, _rules.HistoryLength);

    private static bool TryAdd(ulong a, ulong b, out ulong sum)
    {
        sum = unchecked(a + b);
        return sum >= a;
    }

    private static string UnknownReason(Hash32 validator) =>
        $"validator {validator.ToShortString()} has no stake account (accounts are created at genesis)";

    // Loads the account and checks the nonce: the two refusals every nonce-carrying operation shares.
    private bool TryBegin(Hash32 validator, ulong nonce, [NotNullWhen(true)] out StakeAccountRecord? account, out StakeOutcome refusal)
    {
        if (!TryLoad(validator, out account))
        {
            refusal = StakeOutcome.Refused(StakeRejection.UnknownAccount, UnknownReason(validator));
            return false;
        }

        if (account.Nonce == ulong.MaxValue || nonce != account.Nonce + 1)
        {
            refusal = StakeOutcome.Refused(StakeRejection.BadNonce, account.Nonce == ulong.MaxValue
                ? "the account has used every nonce"
                : $"nonce {nonce:N0} is not the next nonce {account.Nonce + 1:N0}");
            return false;
        }

        refusal = default;
        return true;
    }

    private bool TryLoad(Hash32 validator, [NotNullWhen(true)] out StakeAccountRecord? account)
    {
        var buffer = StakeStateIo.Read(_state, StakeAccountRecord.KeyOf(validator), StakeAccountRecord.MaxEncodedSize(_rules.MaxPendingEntries), "stake account", out var length);
        if (buffer is null)
        {
            account = null;
            return false;
        }

        try
        {
            account = StakeAccountRecord.Decode(buffer.AsSpan(0, length), _rules.MaxPendingEntries);
            return true;
        }
        finally
        {
            StakeStateIo.Return(buffer);
        }
    }

    private StakeLedgerRecord LoadLedger() => StakeLedgerRecord.TryLoad(_state, out var ledger) ? ledger : default;

    private void Commit(Hash32 validator, StakeAccountRecord account, StakeHistoryEntry entry)
    {
        Save(validator, account);
        StakeHistoryLog.Append(_state, validator, entry, _rules.HistoryLength);
    }

    private void Save(Hash32 validator, StakeAccountRecord account)
    {
        var encoded = new byte[account.EncodedSize];
        account.Encode(encoded);
        _state.Write(StakeAccountRecord.KeyOf(validator), encoded);
    }
}
