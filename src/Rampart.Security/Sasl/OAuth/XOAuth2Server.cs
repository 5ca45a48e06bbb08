using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Rampart.Security.Sasl.OAuth;

/// <summary>
/// The server side of one XOAUTH2 exchange: <c>user=NAME ^A auth=Bearer TOKEN ^A ^A</c>. The user must be the account
/// the token names. On failure the error challenge is a JSON document with <c>status</c> 401, <c>schemes</c> and
/// <c>scope</c>; the client answers it with an empty response.
/// </summary>
public sealed class XOAuth2Server : BearerServer
{
    /// <summary>Creates the server side of one exchange.</summary>
    public XOAuth2Server(SaslContext context, BearerTokenAuthority authority)
        : base(context, authority)
    {
    }

    /// <inheritdoc />
    public override string MechanismName => "XOAUTH2";

    /// <inheritdoc />
    protected override bool TryParse(ReadOnlySpan<byte> message, out string token, out string? authzid)
    {
        token = string.Empty;
        authzid = null;
        if (!Utf8.IsValid(message) || !message.StartsWith("user="u8) || message.Length < 2 || message[^1] != 0x01 || message[^2] != 0x01)
        {
            return false;
        }

        var first = message.IndexOf((byte)0x01);
        if (first + 1 > message.Length - 2)
        {
            return false;
        }

        var user = message[5..first];
        var auth = message[(first + 1)..^2];
        if (user.IsEmpty || user.Length > 255 || !auth.StartsWith("auth="u8) || auth.Contains((byte)0x01)
            || !OAuthBearerServer.TryReadBearer(auth[5..], out token))
        {
            return false;
        }

        authzid = Encoding.UTF8.GetString(user);
        return true;
    }

    /// <inheritdoc />
    protected override byte[] ErrorChallenge()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", "401");
            json.WriteString("schemes", "Bearer");
            json.WriteString("scope", Authority.Options.Scope ?? string.Empty);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
