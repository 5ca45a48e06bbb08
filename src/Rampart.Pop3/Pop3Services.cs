using Rampart.Pop3.Maildrop;
using Rampart.Security.Credentials;
using Rampart.Security.Sasl;
using Rampart.Store;

namespace Rampart.Pop3;

/// <summary>What every POP3 session of a server shares: the store, authentication, options and the maildrop locks.</summary>
public sealed class Pop3Services
{
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

    public SaslMechanismFactory Mechanisms { get; }

    /// <summary>USER/PASS goes through the same check as SASL PLAIN.</summary>
    public PasswordAuthenticator Passwords { get; }

    public string HostName { get; }

    public Pop3Options Options { get; }

    /// <summary>One POP3 session per account in this process.</summary>
    public MaildropLocks Locks { get; } = new();

    /// <summary>Wire sizes by blob, shared by all sessions.</summary>
    public WireSizeCache WireSizes { get; } = new();

    /// <summary>The longest line a session buffers (the connection limit, <c>Limits:LineLengthLimit</c>); default 64 KiB.</summary>
    public int LineLengthLimit { get; init; } = Net.Reading.LineReaderLimits.DefaultMaxLineLength;

    /// <summary>The clock for the retention policy (tests move it).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
