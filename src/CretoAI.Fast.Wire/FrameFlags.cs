namespace CretoAI.Fast.Wire;

/// <summary>Header byte 3. Bits not defined here are reserved and must be zero.</summary>
[Flags]
public enum FrameFlags : byte
{
    None = 0,

    /// <summary>This frame answers the request with the same correlation id.</summary>
    Response = 0x01,
}
