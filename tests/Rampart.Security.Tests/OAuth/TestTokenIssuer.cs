using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Rampart.Testing.OAuth;

/// <summary>
/// A local OAuth issuer for tests: an RSA and an EC P-256 key made here, a JWKS document with their public halves,
/// and tokens signed by hand (RFC 7515 compact form), so that broken ones (alg none, HS256 with the public key as the
/// secret, a tampered signature) can be made too. A second RSA key stays unpublished until <see cref="Rotate"/>.
/// </summary>
public sealed class TestTokenIssuer : IDisposable
{
    public const string Issuer = "https://issuer.rampart.test";
    public const string Audience = "rampart-mail";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly RSA _next = RSA.Create(2048);
    private bool _rotated;

    /// <summary>The key id of the key published only after <see cref="Rotate"/>.</summary>
    public const string NextKid = "rsa-2";

    /// <summary>Publishes the next key (the JWKS then has it too).</summary>
    public void Rotate() => _rotated = true;

    /// <summary>The JWK Set with the published public keys.</summary>
    public string Jwks()
    {
        var keys = new JsonArray { RsaJwk(_rsa, "rsa-1"), EcJwk(_ec, "ec-1") };
        if (_rotated)
        {
            keys.Add(RsaJwk(_next, NextKid));
        }

        return new JsonObject { ["keys"] = keys }.ToJsonString();
    }

    /// <summary>Standard access-token claims for <paramref name="subject"/> (the <c>email</c> claim), valid now.</summary>
    public static JsonObject Claims(string subject, string issuer = Issuer, string audience = Audience, TimeSpan? expiresIn = null, TimeSpan? notBefore = null)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new JsonObject
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["sub"] = "id-" + subject,
            ["email"] = subject,
            ["client_id"] = "mail-client",
            ["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = now.Add(expiresIn ?? TimeSpan.FromMinutes(10)).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        if (notBefore is { } nbf)
        {
            claims["nbf"] = now.Add(nbf).ToUnixTimeSeconds();
        }

        return claims;
    }

    /// <summary>A good token for <paramref name="subject"/>.</summary>
    public string TokenFor(string subject, string alg = "RS256") => Sign(Claims(subject), alg);

    /// <summary>Signs <paramref name="claims"/> with <paramref name="alg"/> (RS256, PS256, ES256 with the published
    /// keys; <c>RS256-next</c> with the unpublished one; <c>none</c>; <c>HS256-public</c>: HMAC keyed with the public
    /// RSA key's JWK, the classic confusion attack).</summary>
    public string Sign(JsonObject claims, string alg = "RS256", string typ = "at+jwt")
    {
        var (headerAlg, kid) = alg switch
        {
            "RS256" or "PS256" => (alg, "rsa-1"),
            "ES256" => (alg, "ec-1"),
            "RS256-next" => ("RS256", NextKid),
            "HS256-public" => ("HS256", "rsa-1"),
            "none" => ("none", (string?)null),
            _ => throw new ArgumentOutOfRangeException(nameof(alg)),
        };
        var header = new JsonObject { ["alg"] = headerAlg, ["typ"] = typ };
        if (kid is not null)
        {
            header["kid"] = kid;
        }

        var input = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var data = Encoding.ASCII.GetBytes(input);
        var signature = alg switch
        {
            "RS256" => _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "PS256" => _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            "ES256" => _ec.SignData(data, HashAlgorithmName.SHA256),
            "RS256-next" => _next.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "HS256-public" => HMACSHA256.HashData(Encoding.UTF8.GetBytes(RsaJwk(_rsa, "rsa-1").ToJsonString()), data),
            _ => [],
        };
        return input + "." + B64(signature);
    }

    /// <summary><paramref name="token"/> with one signature byte changed.</summary>
    public static string Tamper(string token)
    {
        var dot = token.LastIndexOf('.');
        var signature = FromB64(token[(dot + 1)..]);
        signature[signature.Length / 2] ^= 0x5A;
        return token[..(dot + 1)] + B64(signature);
    }

    private static JsonObject RsaJwk(RSA rsa, string kid)
    {
        var p = rsa.ExportParameters(false);
        return new JsonObject { ["kty"] = "RSA", ["kid"] = kid, ["use"] = "sig", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
    }

    private static JsonObject EcJwk(ECDsa ec, string kid)
    {
        var p = ec.ExportParameters(false);
        return new JsonObject { ["kty"] = "EC", ["kid"] = kid, ["use"] = "sig", ["crv"] = "P-256", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
    }

    public static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromB64(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - (s.Length % 4)) % 4));
    }

    public void Dispose()
    {
        _rsa.Dispose();
        _ec.Dispose();
        _next.Dispose();
    }
}
