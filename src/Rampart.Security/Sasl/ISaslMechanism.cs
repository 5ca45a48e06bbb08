namespace Rampart.Security.Sasl;

/// <summary>
/// A SASL mechanism (RFC 4422): its registered name, when it may be offered, and a factory for the
/// server side of one exchange. One implementation serves IMAP, POP3 and SMTP.
/// </summary>
public interface ISaslMechanism
{
    /// <summary>The registered name, upper case, e.g. <c>SCRAM-SHA-256</c>.</summary>
    string Name { get; }

    /// <summary>True when the mechanism sends the password in the clear and so may only run inside TLS (PLAIN, LOGIN).</summary>
    bool RequiresTls { get; }

    /// <summary>
    /// True when the server must keep a password-equivalent secret for it (CRAM-MD5, APOP). Such mechanisms
    /// are never offered unless an admin opts in (SECURITY.md "SASL").
    /// </summary>
    bool IsPasswordEquivalent { get; }

    /// <summary>True when this mechanism may be offered on a connection with <paramref name="context"/> (TLS, channel binding).</summary>
    bool IsAvailable(SaslContext context);

    /// <summary>Creates the server side of one authentication attempt.</summary>
    SaslServer CreateServer(SaslContext context);
}
