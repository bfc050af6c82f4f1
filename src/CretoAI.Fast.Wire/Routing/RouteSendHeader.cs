using CretoAI.Fast.Core;

namespace CretoAI.Fast.Wire.Routing;

/// <summary>The fixed fields of a send (<see cref="RouteSendLayout"/>).</summary>
public readonly record struct RouteSendHeader(Hash32 ChainId, ulong MessageId, byte Kind, Hash32 Target, int PayloadLength)
{
    /// <summary>Offset of the signature in the send.</summary>
    public int SignatureOffset => RouteSendLayout.HeaderLength + PayloadLength;

    public bool IsTag => Kind == RouteSendLayout.KindTag;
}
