namespace Rampart.Smtp.Outbound;

/// <summary>The remote server broke the protocol (a malformed or oversized reply, data after the STARTTLS 220): the
/// connection is abandoned and the host counts as unreachable for this attempt.</summary>
public sealed class SmtpProtocolException : Exception
{
    public SmtpProtocolException(string message)
        : base(message)
    {
    }

    public SmtpProtocolException()
    {
    }

    public SmtpProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
