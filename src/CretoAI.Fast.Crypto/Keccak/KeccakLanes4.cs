using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CretoAI.Fast.Crypto;

/// <summary>The 25 lanes of four interleaved Keccak states (element j of each vector belongs to state j).</summary>
[InlineArray(25)]
internal struct KeccakLanes4
{
    private Vector256<ulong> _lane;
}
