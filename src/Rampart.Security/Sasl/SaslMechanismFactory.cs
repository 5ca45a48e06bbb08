using System.Diagnostics.CodeAnalysis;
using Rampart.Security.Sasl.Mechanisms.Login;
using Rampart.Security.Sasl.Mechanisms.Plain;
using Rampart.Security.Sasl.Mechanisms.Scram;

namespace Rampart.Security.Sasl;

/// <summary>
/// The registry of SASL mechanisms a server offers: which names to advertise on a connection, and the
/// server object for the one a client picks. Shared by IMAP (AUTH=), POP3 (SASL) and SMTP (AUTH).
/// </summary>
public sealed class SaslMechanismFactory
{
    private readonly ISaslMechanism[] _mechanisms;

    /// <summary>
    /// Creates a registry of <paramref name="mechanisms"/>, advertised in the order given (strongest first, by
    /// habit). Password-equivalent mechanisms are dropped unless <paramref name="allowPasswordEquivalent"/>.
    /// </summary>
    public SaslMechanismFactory(IEnumerable<ISaslMechanism> mechanisms, bool allowPasswordEquivalent = false)
    {
        ArgumentNullException.ThrowIfNull(mechanisms);
        _mechanisms = [.. mechanisms.Where(m => allowPasswordEquivalent || !m.IsPasswordEquivalent)];
        if (_mechanisms.Select(m => m.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() != _mechanisms.Length)
        {
            throw new ArgumentException("Two mechanisms have the same name.", nameof(mechanisms));
        }
    }

    /// <summary>The mechanisms, in advertising order.</summary>
    public IReadOnlyList<ISaslMechanism> Mechanisms => _mechanisms;

    /// <summary>
    /// The default set: SCRAM-SHA-256-PLUS, SCRAM-SHA-256, PLAIN (TLS only), and LOGIN (TLS only) when
    /// <paramref name="includeLogin"/>: SMTP submission turns it on for the clients that know nothing else.
    /// </summary>
    public static SaslMechanismFactory CreateDefault(bool includeLogin = false) =>
        new(includeLogin
            ? [ScramSha256Mechanism.Plus, ScramSha256Mechanism.Standard, PlainMechanism.Instance, LoginMechanism.Instance]
            : [ScramSha256Mechanism.Plus, ScramSha256Mechanism.Standard, PlainMechanism.Instance]);

    /// <summary>This registry followed by <paramref name="more"/>: the mechanisms an admin configured (e.g. GSSAPI).
    /// Password-equivalent ones among them are dropped, as the constructor does by default.</summary>
    public SaslMechanismFactory With(IEnumerable<ISaslMechanism> more) =>
        new([.. _mechanisms, .. more.Where(m => !m.IsPasswordEquivalent)], allowPasswordEquivalent: true);

    /// <summary>The names to advertise on a connection with <paramref name="context"/>; empty before TLS with the defaults.</summary>
    public IReadOnlyList<string> GetOfferedNames(SaslContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return [.. _mechanisms.Where(m => m.IsAvailable(context)).Select(m => m.Name)];
    }

    /// <summary>
    /// Creates the server for the mechanism <paramref name="name"/> (case-insensitive, RFC 4422 §3.1); false
    /// when it is unknown or not offered on this connection, which the protocol answers as an unsupported
    /// mechanism.
    /// </summary>
    public bool TryCreateServer(string name, SaslContext context, [NotNullWhen(true)] out SaslServer? server)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(context);
        server = null;
        var mechanism = Array.Find(_mechanisms, m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
        if (mechanism is null || !mechanism.IsAvailable(context))
        {
            return false;
        }

        server = mechanism.CreateServer(context);
        return true;
    }
}
