using System.Net;
using System.Security.Cryptography.X509Certificates;
using Rampart.Security.Credentials;
using Rampart.Security.Passwords;

namespace Rampart.Security.Sasl;

/// <summary>
/// What a SASL exchange needs to know about the server and the connection. The server builds one with the
/// process-wide parts (credentials, hasher, secret) and each connection derives its own with <c>with</c>
/// (TLS state, channel binding, address).
/// </summary>
public sealed record SaslContext
{
    /// <summary>Where accounts are looked up.</summary>
    public required ICredentialSource Credentials { get; init; }

    /// <summary>Verifies Argon2id hashes for the password mechanisms.</summary>
    public required PasswordHasher PasswordHasher { get; init; }

    /// <summary>
    /// The server's 32-byte secret (kept in the data directory), from which the decoy SCRAM salts of unknown
    /// users are derived (<see cref="DecoyCredentials.ScramSalt"/>).
    /// </summary>
    public required ReadOnlyMemory<byte> ServerSecret
    {
        get;
        init => field = value.Length == DecoyCredentials.ServerSecretLength
            ? value
            : throw new ArgumentException($"The server secret must be {DecoyCredentials.ServerSecretLength} bytes.", nameof(value));
    }

    /// <summary>True when the connection is inside TLS (implicit, or after STARTTLS/STLS).</summary>
    public bool IsTls { get; init; }

    /// <summary>
    /// The connection's <c>tls-server-end-point</c> channel binding (RFC 5929 §4: the hash of the server
    /// certificate), or null when there is none. When set, SCRAM-SHA-256-PLUS is offered, and a SCRAM client
    /// that claims the server does not support channel binding (<c>y</c>) is refused (RFC 5802 §6).
    /// </summary>
#pragma warning disable CA1819 // Set once per connection by the transport and only read here.
    public byte[]? ChannelBinding { get; init; }
#pragma warning restore CA1819

    /// <summary>
    /// The end-to-end password check for PLAIN and LOGIN on this connection (guard, cache, app passwords, two factors,
    /// access rules, expiry: <see cref="Guard.LoginAuthenticator.ForConnection"/>), or null to check the main password
    /// only through <see cref="PasswordAuthenticator"/>.
    /// </summary>
    public IPasswordVerifier? PasswordVerifier { get; init; }

    /// <summary>
    /// The password-equivalent secrets for CRAM-MD5, or null (the default) to never offer it. Set only when the admin
    /// enabled legacy mechanisms; each account must also be opted in (<see cref="LegacySecrets"/>).
    /// </summary>
    public ILegacySecretSource? LegacySecrets { get; init; }

    /// <summary>
    /// The certificate the client sent in the TLS handshake (recorded by the transport, not validated there), or null.
    /// SASL EXTERNAL validates it against the listener's CA bundle and maps it to an account.
    /// </summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The listener the connection came in on (its client-certificate settings), or null.</summary>
    public string? ListenerName { get; init; }

    /// <summary>The client's address, for logging only.</summary>
    public IPAddress? RemoteAddress { get; init; }

    /// <summary>
    /// The SCRAM iteration count shown for unknown users. Keep it equal to what new credentials get, so that
    /// a decoy looks like a fresh real account.
    /// </summary>
    public int ScramIterations
    {
        get;
        init => field = value is >= ScramCredential.MinIterations and <= ScramCredential.MaxIterations
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "Outside the SCRAM iteration bounds.");
    } = ScramCredential.DefaultIterations;

    /// <summary>The largest decoded response accepted; default <see cref="SaslLimits.DefaultMaxResponseBytes"/>.</summary>
    public int MaxResponseBytes
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Must be positive.");
    } = SaslLimits.DefaultMaxResponseBytes;

    /// <summary>The most responses in one exchange; default <see cref="SaslLimits.DefaultMaxRounds"/>.</summary>
    public int MaxRounds
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Must be positive.");
    } = SaslLimits.DefaultMaxRounds;

    /// <summary>Checks a user name and password for a password mechanism, through <see cref="PasswordVerifier"/> when
    /// set, and maps the outcome to a SASL step.</summary>
    internal async ValueTask<SaslStep> CheckPasswordAsync(string userName, string password, string mechanism, CancellationToken cancellationToken)
    {
        var check = PasswordVerifier is { } verifier
            ? await verifier.CheckAsync(userName, password, mechanism, cancellationToken).ConfigureAwait(false)
            : await new PasswordAuthenticator(Credentials, PasswordHasher).CheckAsync(userName, password, cancellationToken).ConfigureAwait(false);
        return check.Outcome switch
        {
            PasswordCheckOutcome.Success => SaslStep.Success(new SaslIdentity(check.AccountName!, mechanism), attemptedUser: userName),
            PasswordCheckOutcome.UnknownUser => SaslStep.Failure(SaslFailureReason.UnknownUser, userName),
            PasswordCheckOutcome.Disabled => SaslStep.Failure(SaslFailureReason.Disabled, userName),
            PasswordCheckOutcome.NoPassword => SaslStep.Failure(SaslFailureReason.NoCredential, userName),
            PasswordCheckOutcome.Refused => SaslStep.Failure(SaslFailureReason.Refused, userName),
            PasswordCheckOutcome.Expired => SaslStep.Failure(SaslFailureReason.Expired, userName),
            _ => SaslStep.Failure(SaslFailureReason.BadCredentials, userName),
        };
    }
}
