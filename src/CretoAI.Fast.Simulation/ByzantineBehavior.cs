using CretoAI.Fast.Consensus.Engine;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Core;

namespace CretoAI.Fast.Simulation;

/// <summary>
/// Rewrites a Byzantine node's outputs according to its strategy. Every bad message is signed with
/// the node's own key (a Byzantine validator cannot forge others), so what honest nodes see is what a
/// real attacker holding one key could send.
/// </summary>
internal static class ByzantineBehavior
{
    /// <summary>Least virtual time between two replay bursts of one node: an attacker's bandwidth is finite, and without a bound replayers replaying each other's replays grow the message count without limit.</summary>
    public const long ReplaySpacing = 10;

    public static void Transform(SimulatedNode node, List<ConsensusOutput> outputs, Hash32 chainId, DeterministicRandom random, int validatorCount, List<(int To, ConsensusMessage Message)> extra, long now)
    {
        if (node.Strategy is not { } strategy)
        {
            return;
        }

        for (var i = 0; i < outputs.Count; i++)
        {
            switch (strategy, outputs[i])
            {
                // Votes go to every validator (BroadcastMessage); the SendMessage forms cover direct sends.
                case (ByzantineStrategy.Withholding, SendMessage { Message: Vote }):
                case (ByzantineStrategy.Withholding, BroadcastMessage { Message: Vote }):
                case (ByzantineStrategy.Withholding, BroadcastMessage { Message: TimeoutMessage }):
                    outputs.RemoveAt(i--);
                    break;

                case (ByzantineStrategy.EquivocatingLeader, BroadcastMessage { Message: Proposal p }):
                    {
                        var twin = Reproposal(node, chainId, p.Block, p.Block.Qc, [.. p.Block.Transactions, [0xE0, (byte)random.Next(256)]]);
                        outputs.RemoveAt(i--);
                        for (var v = 0; v < validatorCount; v++)
                        {
                            extra.Add((v, random.Chance(500) ? p : new Proposal(twin.Block, twin.Signature, p.LastRoundTc)));
                        }

                        break;
                    }

                case (ByzantineStrategy.ForkingLeader, BroadcastMessage { Message: Proposal p }) when node.SeenQcs.Count > 0:
                    {
                        // Extend an old QC (3+ rounds back) without a TC: only a node ignoring its lock votes for it.
                        var old = node.SeenQcs.LastOrDefault(q => q.Round + 3 <= p.Block.Round) ?? node.SeenQcs[0];
                        var fork = Reproposal(node, chainId, p.Block, old, [[0xF0, (byte)random.Next(256)]]);
                        outputs[i] = new BroadcastMessage(new Proposal(fork.Block, fork.Signature, null));
                        break;
                    }

                case (ByzantineStrategy.DoubleVoting, SendMessage { Message: Vote v } send):
                    extra.Add((send.To, FakeVote(node, chainId, v, random)));
                    break;

                case (ByzantineStrategy.DoubleVoting, BroadcastMessage { Message: Vote v }):
                    {
                        var fake = FakeVote(node, chainId, v, random);
                        for (var to = 0; to < validatorCount; to++)
                        {
                            extra.Add((to, fake));
                        }

                        break;
                    }

                case (ByzantineStrategy.UnknownBlockVotes, BroadcastMessage { Message: Vote v }):
                    outputs[i] = new BroadcastMessage(FakeVote(node, chainId, v, random));
                    break;

                case (ByzantineStrategy.UnknownBlockVotes, SendMessage { Message: Vote v } send):
                    outputs[i] = new SendMessage(send.To, FakeVote(node, chainId, v, random));
                    break;

                case (ByzantineStrategy.InvalidSignatures, SendMessage send):
                    outputs[i] = new SendMessage(send.To, Corrupt(send.Message));
                    break;

                case (ByzantineStrategy.InvalidSignatures, BroadcastMessage broadcast):
                    outputs[i] = new BroadcastMessage(Corrupt(broadcast.Message));
                    break;

                default:
                    break;
            }
        }

        if (strategy == ByzantineStrategy.Replay && node.Heard.Count > 0 && now - node.LastReplayAt >= ReplaySpacing)
        {
            node.LastReplayAt = now;
            for (var k = 0; k < 2; k++)
            {
                extra.Add((random.Next(validatorCount), node.Heard[random.Next(node.Heard.Count)]));
            }
        }
    }

    private static (Block Block, byte[] Signature) Reproposal(SimulatedNode node, Hash32 chainId, Block original, QuorumCertificate qc, byte[][] transactions)
    {
        var block = new Block(chainId, original.Epoch, original.Round, qc.Height + 1, qc, original.ProposerIndex, transactions, [.. original.Evidence], original.TimestampMs);
        var signature = SigningDomain.SignBlockStatement(node.Signer, SignedKind.Proposal, chainId, block.Epoch, block.Round, block.Height, block.Id);
        return (block, signature);
    }

    private static Vote FakeVote(SimulatedNode node, Hash32 chainId, Vote v, DeterministicRandom random)
    {
        Span<byte> bytes = stackalloc byte[Hash32.Size];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)random.Next(256);
        }

        var unknown = new Hash32(bytes);
        var signature = SigningDomain.SignBlockStatement(node.Signer, SignedKind.Vote, chainId, v.Epoch, v.Round, v.Height, unknown);
        return new Vote(v.Epoch, v.Round, v.Height, unknown, v.VoterIndex, signature);
    }

    private static ConsensusMessage Corrupt(ConsensusMessage message) => message switch
    {
        Proposal p => new Proposal(p.Block, Flip(p.Signature), p.LastRoundTc),
        Vote v => new Vote(v.Epoch, v.Round, v.Height, v.BlockId, v.VoterIndex, Flip(v.Signature)),
        TimeoutMessage t => new TimeoutMessage(t.Epoch, t.Round, t.HighQc, t.VoterIndex, Flip(t.Signature), t.LastRoundTc),
        _ => message,
    };

    private static byte[] Flip(byte[] signature)
    {
        var copy = (byte[])signature.Clone();
        copy[copy.Length / 2] ^= 0x5A;
        return copy;
    }
}
