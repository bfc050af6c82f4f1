namespace CretoAI.Fast.Consensus.Messages.Codec;

/// <summary>A committed block with the quorum certificate that certifies it (its id, round and height): what the WAL keeps and sync sends.</summary>
public sealed record CommittedBlock(Block Block, QuorumCertificate Certificate);
