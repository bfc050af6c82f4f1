using System.Buffers;
using CretoAI.Fast.Consensus.Evidence;
using CretoAI.Fast.Consensus.Messages;
using CretoAI.Fast.Consensus.Messages.Codec;
using CretoAI.Fast.Consensus.Signing;
using CretoAI.Fast.Crypto;
using CretoAI.Fast.Wire;
using CretoAI.Fast.Wire.Handshake;

namespace CretoAI.Fast.Fuzz;

/// <summary>Writes the seed corpus: valid frames and payloads made by the real encoder, plus a few broken ones.</summary>
public static class CorpusGenerator
{
    public static void Write(string directory)
    {
        var frames = Directory.CreateDirectory(Path.Combine(directory, "frame")).FullName;
        var handshake = Directory.CreateDirectory(Path.Combine(directory, "handshake")).FullName;

        var hello = Payload(w => HandshakeCodec.Write(w, new HelloMessage(1, Fill(32, 0xAA), Fill(64, 0x11), Fill(32, 0xBB), PeerRole.Client)));
        var welcome = Payload(w => HandshakeCodec.Write(w, new WelcomeMessage(1, Fill(32, 0xAA), Fill(64, 0x11), Fill(32, 0xCC), Fill(96, 0x22))));
        var authenticate = Payload(w => HandshakeCodec.Write(w, new AuthenticateMessage(Fill(96, 0x22))));
        var ready = Payload(w => HandshakeCodec.Write(w, new ReadyMessage(1 << 20, 1024, 300_000)));
        var error = new byte[ErrorPayload.MaxLength];
        var errorLength = ErrorPayload.Write(error, WireErrorCode.ChainIdMismatch, "peer is on a different chain");

        File.WriteAllBytes(Path.Combine(handshake, "hello"), hello);
        File.WriteAllBytes(Path.Combine(handshake, "welcome"), welcome);
        File.WriteAllBytes(Path.Combine(handshake, "authenticate"), authenticate);
        File.WriteAllBytes(Path.Combine(handshake, "ready"), ready);
        File.WriteAllBytes(Path.Combine(handshake, "error"), error[..errorLength]);

        File.WriteAllBytes(Path.Combine(frames, "ping-empty"), Frame(MessageType.Ping, 1, []));
        File.WriteAllBytes(Path.Combine(frames, "ping-hello"), Frame(MessageType.Ping, 1, "hello"u8.ToArray()));
        File.WriteAllBytes(Path.Combine(frames, "pong-256"), Frame(MessageType.Pong, 2, Fill(256, 0x5A), FrameFlags.Response));
        File.WriteAllBytes(Path.Combine(frames, "hello"), Frame(MessageType.Hello, 0, hello));
        File.WriteAllBytes(Path.Combine(frames, "ready"), Frame(MessageType.Ready, 0, ready));
        File.WriteAllBytes(Path.Combine(frames, "error"), Frame(MessageType.Error, 0, error[..errorLength], FrameFlags.Response));
        File.WriteAllBytes(Path.Combine(frames, "two-pings"), [.. Frame(MessageType.Ping, 1, [1]), .. Frame(MessageType.Ping, 2, [2])]);
        var corrupt = Frame(MessageType.Ping, 3, [1, 2, 3]);
        corrupt[^1] ^= 0xFF;
        File.WriteAllBytes(Path.Combine(frames, "bad-checksum"), corrupt);
        File.WriteAllBytes(Path.Combine(frames, "truncated"), Frame(MessageType.Pong, 4, Fill(40, 1))[..30]);

        WriteConsensus(Directory.CreateDirectory(Path.Combine(directory, "consensus")).FullName);
    }

    /// <summary>One payload of each consensus message, a committed block, a sync batch and a sync request, signed with the fake scheme.</summary>
    private static void WriteConsensus(string directory)
    {
        var chain = Sha3.Hash256("fuzz-corpus"u8);
        var signers = Enumerable.Range(0, 4).Select(FakeSignatureScheme.CreateSigner).ToArray();
        var genesis = Block.Genesis(chain, 0, 1_700_000_000_000);
        var genesisQc = Block.GenesisQc(genesis);
        var block1 = new Block(chain, 0, 1, 1, genesisQc, 1, [Fill(300, 0x31), Fill(40, 0x32)], [], 1_700_000_001_000);
        byte[] VoteSignature(int i, Block b) => SigningDomain.SignBlockStatement(signers[i], SignedKind.Vote, chain, b.Epoch, b.Round, b.Height, b.Id);
        var qc1 = new QuorumCertificate(0, 1, 1, block1.Id, [0b0111], [VoteSignature(0, block1), VoteSignature(1, block1), VoteSignature(2, block1)]);
        var highQcRound = qc1.Round;
        var tc2 = new TimeoutCertificate(0, 2, [0b1011], [1, 1, 1], [.. new[] { 0, 1, 3 }.Select(i => SigningDomain.SignTimeout(signers[i], chain, 0, 2, highQcRound))], qc1);
        var other = Sha3.Hash256("other"u8);
        var evidence = new EquivocationEvidence(SignedKind.Vote, 0, 1, 3, new SignedStatement(1, block1.Id, VoteSignature(3, block1)),
            new SignedStatement(1, other, SigningDomain.SignBlockStatement(signers[3], SignedKind.Vote, chain, 0, 1, 1, other)));
        var block3 = new Block(chain, 0, 3, 2, qc1, 3, [Fill(100, 0x33)], [evidence], 1_700_000_003_000);
        var qc3 = new QuorumCertificate(0, 3, 2, block3.Id, [0b1110], [VoteSignature(1, block3), VoteSignature(2, block3), VoteSignature(3, block3)]);
        byte[] Sign(Block b) => SigningDomain.SignBlockStatement(signers[b.ProposerIndex], SignedKind.Proposal, chain, b.Epoch, b.Round, b.Height, b.Id);

        void Message(string name, ConsensusMessage message) => File.WriteAllBytes(Path.Combine(directory, name), Payload(w => ConsensusCodec.Write(w, message)));
        Message("proposal", new Proposal(block1, Sign(block1), null));
        Message("proposal-after-timeout", new Proposal(block3, Sign(block3), tc2));
        Message("vote", new Vote(0, 1, 1, block1.Id, 2, VoteSignature(2, block1)));
        Message("timeout", new TimeoutMessage(0, 3, qc1, 0, SigningDomain.SignTimeout(signers[0], chain, 0, 3, 1), tc2));
        Message("evidence", new EvidenceMessage(evidence));
        Message("block-request", new BlockRequest(0, block3.Id, 8));
        Message("block-response", new BlockResponse(0, [block3, block1]));
        File.WriteAllBytes(Path.Combine(directory, "committed-block"), Payload(w => CommittedBlockCodec.Write(w, block3, qc3)));
        File.WriteAllBytes(Path.Combine(directory, "sync-batch"), Payload(w => CommittedBlockCodec.WriteBatch(w, [new(genesis, genesisQc), new(block1, qc1), new(block3, qc3)])));
        File.WriteAllBytes(Path.Combine(directory, "sync-request"), Payload(w => new SyncRequestPayload(1, 64, 1 << 20).Write(w)));
    }

    private static byte[] Frame(MessageType type, uint id, byte[] payload, FrameFlags flags = FrameFlags.None)
    {
        var writer = new ArrayBufferWriter<byte>();
        FrameEncoder.Write(writer, type, flags, id, payload);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] Payload(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] Fill(int length, byte value) => Enumerable.Repeat(value, length).ToArray();
}
