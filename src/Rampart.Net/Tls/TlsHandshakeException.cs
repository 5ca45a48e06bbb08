namespace Rampart.Net.Tls;

/// <summary>A TLS handshake that failed or timed out; the message says which and why.</summary>
public sealed class TlsHandshakeException : IOException
{
    public TlsHandshakeException()
    {
    }

    public TlsHandshakeException(string message)
        : base(message)
    {
    }

    public TlsHandshakeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
