using System.Runtime.CompilerServices;

namespace CretoAI.Fast.Crypto;

/// <summary>The 25 lanes of one Keccak state, inline so a sponge lives on the stack.</summary>
[InlineArray(25)]
internal struct KeccakLanes
{
    private ulong _lane;
}
