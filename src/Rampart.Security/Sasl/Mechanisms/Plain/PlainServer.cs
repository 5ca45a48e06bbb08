using System.Text;
using System.Text.Unicode;
using Rampart.Security.Credentials;

namespace Rampart.Security.Sasl.Mechanisms.Plain;

/// <summary>
/// The server side of one PLAIN exchange (RFC 4616 §2): one message <c>[authzid] NUL authcid NUL passwd</c>,
/// checked through <see cref="PasswordAuthenticator"/>.
/// </summary>
/// <remarks>
/// Refused as <see cref="SaslFailureReason.Malformed"/> (SECURITY.md A02): not exactly two NULs, an empty
/// authcid or password, a field over <see cref="MaxFieldOctets"/>, or bytes that are not UTF-8. An authzid
/// other than the authcid is <see cref="SaslFailureReason.AuthzidNotAllowed"/>: Rampart has no proxy
/// authorization. The check against the credentials runs only for well-formed messages.
/// </remarks>
public sealed class PlainServer : SaslServer
{
    /// <summary>
    /// The longest field accepted, in octets: 255, the length RFC 4616 §2 requires a server to accept.
    /// Longer fields are refused before any lookup, so a 64-character password stays well inside it unless it
    /// is mostly characters of 4 UTF-8 octets.
    /// </summary>
    public const int MaxFieldOctets = 255;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Creates the server side of one exchange.</summary>
    public PlainServer(SaslContext context)
        : base(context)
    {
    }

    /// <inheritdoc />
    public override string MechanismName => PlainMechanism.Instance.Name;

    /// <inheritdoc />
    protected override async ValueTask<SaslStep> RespondAsync(ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
    {
        if (!TryParse(response.Span, out var authzid, out var authcid, out var password))
        {
            return SaslStep.Failure(SaslFailureReason.Malformed);
        }

        if (authzid.Length > 0 && !string.Equals(authzid, authcid, StringComparison.Ordinal))
        {
            return SaslStep.Failure(SaslFailureReason.AuthzidNotAllowed, authcid);
        }

        return await Context.CheckPasswordAsync(authcid, password, MechanismName, cancellationToken).ConfigureAwait(false);
    }

    private static bool TryParse(ReadOnlySpan<byte> message, out string authzid, out string authcid, out string password)
    {
        authzid = authcid = password = string.Empty;
        if (!Utf8.IsValid(message))
        {
            return false;
        }

        var first = message.IndexOf((byte)0);
        if (first < 0)
        {
            return false;
        }

        var rest = message[(first + 1)..];
        var second = rest.IndexOf((byte)0);
        if (second < 0)
        {
            return false;
        }

        var authzidBytes = message[..first];
        var authcidBytes = rest[..second];
        var passwordBytes = rest[(second + 1)..];
        if (passwordBytes.Contains((byte)0)
            || authzidBytes.Length > MaxFieldOctets
            || authcidBytes.Length is 0 or > MaxFieldOctets
            || passwordBytes.Length is 0 or > MaxFieldOctets)
        {
            return false;
        }

        authzid = StrictUtf8.GetString(authzidBytes);
        authcid = StrictUtf8.GetString(authcidBytes);
        password = StrictUtf8.GetString(passwordBytes);
        return true;
    }
}
