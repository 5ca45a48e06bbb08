using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Rampart.Security.Sasl.OAuth;

/// <summary>
/// The server side of one OAUTHBEARER exchange (RFC 7628 §3.1):
/// <c>gs2-header ^A *(key=value ^A) ^A</c>, where the <c>auth</c> pair holds <c>Bearer TOKEN</c>. Channel binding
/// (<c>p=</c>) is refused: the mechanism defines none. On failure the error challenge of §3.2.2 is sent.
/// </summary>
public sealed class OAuthBearerServer : BearerServer
{
    /// <summary>The most key/value pairs accepted: 16 (clients send host, port and auth).</summary>
    public const int MaxPairs = 16;

    /// <summary>Creates the server side of one exchange.</summary>
    public OAuthBearerServer(SaslContext context, BearerTokenAuthority authority)
        : base(context, authority)
    {
    }

    /// <inheritdoc />
    public override string MechanismName => "OAUTHBEARER";

    /// <inheritdoc />
    protected override bool TryParse(ReadOnlySpan<byte> message, out string token, out string? authzid)
    {
        token = string.Empty;
        authzid = null;
        if (!Utf8.IsValid(message) || message.Length < 2 || message[1] != (byte)',' || message[0] is not ((byte)'n' or (byte)'y'))
        {
            return false;
        }

        var rest = message[2..];
        var comma = rest.IndexOf((byte)',');
        if (comma < 0)
        {
            return false;
        }

        if (comma > 0)
        {
            if (!rest.StartsWith("a="u8) || !TryDecodeSaslName(rest[2..comma], out var name))
            {
                return false;
            }

            authzid = name;
        }

        rest = rest[(comma + 1)..];
        if (rest.Length < 2 || rest[0] != 0x01 || rest[^1] != 0x01 || rest[^2] != 0x01)
        {
            return false;
        }

        // Between the first ^A and the final ^A^A: key=value pairs separated by ^A.
        var pairs = rest[1..^1];
        var count = 0;
        string? found = null;
        while (!pairs.IsEmpty)
        {
            var end = pairs.IndexOf((byte)0x01);
            var pair = pairs[..end];
            pairs = pairs[(end + 1)..];
            if (++count > MaxPairs)
            {
                return false;
            }

            var equals = pair.IndexOf((byte)'=');
            if (equals <= 0)
            {
                return false;
            }

            if (pair[..equals].SequenceEqual("auth"u8))
            {
                if (found is not null || !TryReadBearer(pair[(equals + 1)..], out found))
                {
                    return false;
                }
            }
        }

        if (found is null)
        {
            return false;
        }

        token = found;
        return true;
    }

    /// <summary>Reads <c>Bearer 1*SP b64token</c> (RFC 6750 §2.1; the scheme is case-insensitive).</summary>
    internal static bool TryReadBearer(ReadOnlySpan<byte> value, out string token)
    {
        token = string.Empty;
        if (value.Length < 7 || !Ascii.EqualsIgnoreCase(value[..6], "Bearer"u8) || value[6] != (byte)' ')
        {
            return false;
        }

        var raw = value[7..].TrimStart((byte)' ');
        if (!BearerTokenAuthority.IsBearerToken(raw))
        {
            return false;
        }

        token = Encoding.ASCII.GetString(raw);
        return true;
    }

    /// <summary>Decodes a GS2 saslname (RFC 5801 §4: <c>=2C</c> is a comma, <c>=3D</c> an equals sign).</summary>
    private static bool TryDecodeSaslName(ReadOnlySpan<byte> encoded, out string name)
    {
        name = string.Empty;
        if (encoded.IsEmpty || encoded.Length > 255)
        {
            return false;
        }

        var decoded = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] != (byte)'=')
            {
                decoded.Add(encoded[i]);
                continue;
            }

            if (i + 2 >= encoded.Length)
            {
                return false;
            }

            var escape = encoded.Slice(i + 1, 2);
            if (escape.SequenceEqual("2C"u8))
            {
                decoded.Add((byte)',');
            }
            else if (escape.SequenceEqual("3D"u8))
            {
                decoded.Add((byte)'=');
            }
            else
            {
                return false;
            }

            i += 2;
        }

        name = Encoding.UTF8.GetString([.. decoded]);
        return true;
    }

    /// <inheritdoc />
    protected override byte[] ErrorChallenge()
    {
        // RFC 7628 §3.2.2: status, and the scope and discovery document a client needs to get a better token.
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", "invalid_token");
            if (Authority.Options.Scope is { Length: > 0 } scope)
            {
                json.WriteString("scope", scope);
            }

            if (Authority.Options.OpenIdConfiguration is { Length: > 0 } discovery)
            {
                json.WriteString("openid-configuration", discovery);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
