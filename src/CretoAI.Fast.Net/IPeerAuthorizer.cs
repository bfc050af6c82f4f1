using CretoAI.Fast.Core;
using CretoAI.Fast.Wire.Handshake;

namespace CretoAI.Fast.Net;

/// <summary>
/// Decides, after a peer has proven its identity, whether it may open a session: a client gateway
/// admits any authenticated client, a validator port admits only the validator set.
/// </summary>
public interface IPeerAuthorizer
{
    bool IsAuthorized(Hash32 peerId, PeerRole role);
}
