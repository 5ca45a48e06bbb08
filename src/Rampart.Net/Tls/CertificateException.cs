namespace Rampart.Net.Tls;

/// <summary>A certificate or key file that cannot be used; the message names the file and what is wrong.</summary>
public sealed class CertificateException : Exception
{
    public CertificateException()
    {
    }

    public CertificateException(string message)
        : base(message)
    {
    }

    public CertificateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
