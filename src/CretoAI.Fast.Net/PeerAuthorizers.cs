using CretoAI.Fast.Core;
using CretoAI.Fast.Wire.Handshake;

namespace CretoAI.Fast.Net;

/// <summary>Ready-made <see cref="IPeerAuthorizer"/> policies.</summary>
public static class PeerAuthorizers
{
    /// <summary>Admits every peer whose signature verified.</summary>
    public static IPeerAuthorizer AnyAuthenticated { get; } = new AnyPeer();

    /// <summary>Admits clients freely and validators only when their id is in <paramref name="validators"/>.</summary>
    public static IPeerAuthorizer ValidatorsFrom(IEnumerable<Hash32> validators) => new ValidatorAllowList(validators);

    private sealed class AnyPeer : IPeerAuthorizer
    {
        public bool IsAuthorized(Hash32 peerId, PeerRole role) => true;
    }

    private sealed class ValidatorAllowList(IEnumerable<Hash32> validators) : IPeerAuthorizer
    {
        private readonly HashSet<Hash32> _validators = [.. validators];

        public bool IsAuthorized(Hash32 peerId, PeerRole role) => role != PeerRole.Validator || _validators.Contains(peerId);
    }
}
