namespace Rampart.Security.Credentials;

/// <summary>Which secret a login presented. Policies differ by kind: with two factors on, IMAP, POP3 and SMTP
/// refuse <see cref="Password"/> and take <see cref="AppPassword"/>; the per-account throttle never holds back an
/// app password (SECURITY.md B04, F01).</summary>
public enum CredentialKind
{
    /// <summary>The account's main password (PLAIN, LOGIN, USER/PASS, SCRAM).</summary>
    Password,

    /// <summary>One of the account's per-device app passwords.</summary>
    AppPassword,

    /// <summary>A recovery code or another one-time secret.</summary>
    RecoveryCode,

    /// <summary>A bearer token, a client certificate or Kerberos: no password involved.</summary>
    External,
}
