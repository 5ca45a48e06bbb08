using System.Text;
using System.Text.Unicode;

namespace Rampart.Security.Sasl.Gssapi;

/// <summary>
/// The security-layer messages that follow the Kerberos exchange (RFC 4752 §3.1), before they are wrapped: the
/// server's offer (a layer bit-mask and a maximum message size in 4 octets) and the client's choice (the same
/// 4 octets followed by the authorization identity in UTF-8).
/// </summary>
/// <remarks>Rampart runs GSSAPI only inside TLS and offers no SASL security layer: the offer is
/// <see cref="NoSecurityLayer"/> with a maximum size of 0 (RFC 4752 §3.3 asks for 0 when only that bit is set).</remarks>
public static class GssapiSecurityLayer
{
    /// <summary>The bit for "no security layer" (RFC 4752 §3.3).</summary>
    public const byte NoSecurityLayer = 0x01;

    /// <summary>
    /// The longest authorization identity accepted, in octets: 255 (the field PLAIN accepts, RFC 4616 §2). An
    /// account name is far shorter; a longer one is hostile and fails the exchange as malformed.
    /// </summary>
    public const int MaxAuthorizationIdOctets = 255;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The server's offer: "no security layer" only, maximum size 0.</summary>
    public static byte[] Offer() => [NoSecurityLayer, 0, 0, 0];

    /// <summary>
    /// Reads the client's unwrapped answer: true when it chose exactly "no security layer" and the authorization
    /// identity that follows is valid UTF-8 without NUL and at most <see cref="MaxAuthorizationIdOctets"/> octets;
    /// <paramref name="authorizationId"/> is then that identity (empty when the client gave none).
    /// </summary>
    /// <remarks>The client's maximum size is not checked: with no layer nothing is ever wrapped after this message.</remarks>
    public static bool TryReadChoice(ReadOnlySpan<byte> message, out string authorizationId)
    {
        authorizationId = string.Empty;
        if (message.Length < 4 || message[0] != NoSecurityLayer)
        {
            return false;
        }

        var authzid = message[4..];
        if (authzid.Length > MaxAuthorizationIdOctets || authzid.Contains((byte)0) || !Utf8.IsValid(authzid))
        {
            return false;
        }

        authorizationId = StrictUtf8.GetString(authzid);
        return true;
    }
}
