namespace Rampart.Pop3.Session;

/// <summary>
/// Thrown when a multi-line response failed half-way (the message could not be read): its bytes are already on the
/// wire, so no -ERR can follow; the session ends instead of sending a reply the client would take as data.
/// </summary>
public sealed class MultiLineAbortedException : Exception
{
    public MultiLineAbortedException()
    {
    }

    public MultiLineAbortedException(string message)
        : base(message)
    {
    }

    public MultiLineAbortedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
