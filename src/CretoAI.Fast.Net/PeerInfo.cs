using CretoAI.Fast.Core;
using CretoAI.Fast.Wire.Handshake;

namespace CretoAI.Fast.Net;

/// <summary>Who is on the other end of a session, as proven by the handshake.</summary>
public sealed record PeerInfo(Hash32 Id, PeerRole Role, ReadOnlyMemory<byte> PublicKey);
