using CretoAI.Fast.Wire;

namespace CretoAI.Fast.Net;

/// <summary>A protocol failure with the wire error code that describes it (sent to, or received from, the peer).</summary>
public sealed class WireException : Exception
{
    public WireException(WireErrorCode code, string message)
        : this(code, message, reportedByPeer: false)
    {
    }

    public WireException(WireErrorCode code, string message, bool reportedByPeer)
        : base($"{message} ({code}, code {(ushort)code})")
    {
        Code = code;
        ReportedByPeer = reportedByPeer;
    }

    public WireException()
        : this(WireErrorCode.InternalError, "wire protocol error")
    {
    }

    public WireException(string message)
        : this(WireErrorCode.InternalError, message)
    {
    }

    public WireException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = WireErrorCode.InternalError;
    }

    public WireErrorCode Code { get; }

    /// <summary>True when the peer sent this error to us; false when we detected it (and told the peer).</summary>
    public bool ReportedByPeer { get; }
}
