using Rampart.Pop3.Maildrop;
using Rampart.Security.Credentials;
using Rampart.Security.Sasl;
using Rampart.Security.Sasl.Mechanisms.CramMd5;
using Rampart.Store;

namespace Rampart.Pop3;

/// <summary>What every POP3 session of a server shares: the store, authentication, options and the maildrop locks.</summary>
public sealed class Pop3Services
{
    private readonly ILegacySecretSource? _legacySecrets;

    /// <summary>Creates the shared services.</summary>
    /// <param name="store">The mail store.</param>
    /// <param name="sasl">The process-wide SASL context; each connection derives its own (TLS, channel binding).</param>
    /// <param name="hostName">The host name for the greeting.</param>
    /// <param name="options">POP3 options; defaults when null.</param>
    /// <param name="mechanisms">SASL mechanisms; <see cref="SaslMechanismFactory.CreateDefault"/> when null.</param>
    public Pop3Services(IMailStore store, SaslContext sasl, string hostName, Pop3Options? options = null, SaslMechanismFactory? mechanisms = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sasl);
        ArgumentException.ThrowIfNullOrWhiteSpace(hostName);
        Store = store;
        Sasl = sasl;
        HostName = hostName;
        Options = options ?? new Pop3Options();
        Options.Retention.Validate();
        Mechanisms = mechanisms ?? SaslMechanismFactory.CreateDefault();
        Passwords = new PasswordAuthenticator(sasl.Credentials, sasl.PasswordHasher);
    }

    public IMailStore Store { get; }

    public SaslContext Sasl { get; }

    public SaslMechanismFactory Mechanisms { get; private set; }

    /// <summary>USER/PASS goes through the same check as SASL PLAIN.</summary>
    public PasswordAuthenticator Passwords { get; }

    public string HostName { get; }

    public Pop3Options Options { get; }

    /// <summary>One POP3 session per account in this process.</summary>
    public MaildropLocks Locks { get; } = new();

    /// <summary>The longest line a session buffers (the connection limit, <c>Limits:LineLengthLimit</c>); default 64 KiB.</summary>
    public int LineLengthLimit { get; init; } = Net.Reading.LineReaderLimits.DefaultMaxLineLength;

    /// <summary>
    /// The password-equivalent secrets of the accounts an admin opted in to APOP (RFC 1939 §7) and CRAM-MD5 (RFC 2195),
    /// or null (the default: <c>Security:LegacyMechanisms</c> off) to offer neither: the greeting then carries no APOP
    /// timestamp and AUTH does not list CRAM-MD5 (SECURITY.md A09, A10).
    /// </summary>
    public ILegacySecretSource? LegacySecrets
    {
        get => _legacySecrets;
        init
        {
            _legacySecrets = value;
            Apop = value is null ? null : new ApopVerifier(Sasl.Credentials, value);
            if (value is not null && !Mechanisms.Mechanisms.Contains(CramMd5Mechanism.Instance))
            {
                // CRAM-MD5 goes last (weakest); it is offered inside TLS only and succeeds only for opted-in accounts.
                Mechanisms = new SaslMechanismFactory([.. Mechanisms.Mechanisms, CramMd5Mechanism.Instance], allowPasswordEquivalent: true);
            }
        }
    }

    /// <summary>Checks APOP digests; null when <see cref="LegacySecrets"/> is.</summary>
    public ApopVerifier? Apop { get; private init; }

    /// <summary>The clock for the retention policy (tests move it).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
