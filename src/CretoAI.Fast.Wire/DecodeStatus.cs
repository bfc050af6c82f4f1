namespace CretoAI.Fast.Wire;

/// <summary>Outcome of one <see cref="FrameDecoder.TryDecode"/> call.</summary>
public enum DecodeStatus
{
    /// <summary>A whole, valid frame was decoded and the buffer advanced past it.</summary>
    Frame,

    /// <summary>The buffer holds the start of a frame that is valid so far; read more bytes.</summary>
    NeedMoreData,

    /// <summary>The bytes cannot be a valid frame; the error code says why. The stream is unusable.</summary>
    Error,
}
