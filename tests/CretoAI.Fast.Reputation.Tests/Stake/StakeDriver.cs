using CretoAI.Fast.Core;
using CretoAI.Fast.Reputation.Stake;
using CretoAI.Fast.Storage.State;

namespace CretoAI.Fast.Reputation.Tests.Stake;

/// <summary>Applies <see cref="StakeOperation"/> scripts to a manager, moving a chain clock forward.</summary>
internal sealed class StakeDriver
{
    private readonly Hash32[] _ids;
    private ulong _height;
    private ulong _timeMs;

    public StakeDriver(IReplicatedState state, StakeRules rules, IReadOnlyList<GenesisStake> genesis)
    {
        State = state;
        Manager = new StakeManager(state, rules);
        Manager.InitializeGenesis(genesis, StakeTestData.Genesis);
        _ids = new Hash32[genesis.Count + 1];
        for (var i = 0; i < genesis.Count; i++)
        {
            _ids[i] = genesis[i].Validator;
        }

        _ids[^1] = StakeTestData.Id(250); // never in a generated genesis
        _height = StakeTestData.Genesis.Height;
        _timeMs = StakeTestData.Genesis.TimestampMs;
    }

    public StakeManager Manager { get; private set; }

    public IReplicatedState State { get; }

    public BlockContext Now => new(_height, _timeMs);

    public Hash32 IdOf(int validator) => _ids[Math.Min(validator, _ids.Length - 1)];

    /// <summary>Replaces the manager with a fresh one over the same state, as a restarted node would.</summary>
    public void Reopen(StakeRules rules) => Manager = new StakeManager(State, rules);

    public (StakeRejection Rejection, ulong Amount) Apply(StakeOperation op)
    {
        _height++;
        _timeMs = checked(_timeMs + op.AdvanceMs);
        var id = IdOf(op.Validator);
        var next = Manager.HasAccount(id) ? Manager.GetAccount(id, _timeMs).Nonce + 1 : 1;
        var nonce = unchecked(next + (ulong)(long)op.NonceSkew);
        switch (op.Kind)
        {
            case StakeOperationKind.Bond:
                var bond = Manager.Bond(id, op.Amount, nonce, Now);
                return (bond.Rejection, bond.Amount);
            case StakeOperationKind.Unbond:
                var unbond = Manager.Unbond(id, op.Amount, nonce, Now);
                return (unbond.Rejection, unbond.Amount);
            case StakeOperationKind.Withdraw:
                var withdraw = Manager.Withdraw(id, nonce, Now);
                return (withdraw.Rejection, withdraw.Amount);
            default:
                var slash = Manager.Slash(id, op.Offence, StakeTestData.Evidence(op.Evidence), Now);
                return (slash.Rejection, slash.Amount);
        }
    }
}
