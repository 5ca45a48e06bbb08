using System.Security.Cryptography;
using System.Text;

namespace Rampart.Security.Tests.Support;

/// <summary>
/// A SCRAM-SHA-256 client written from RFC 5802 §3 independently of the server code, so the tests check the
/// server against the RFC rather than against itself. ASCII passwords only (SASLprep is then the identity).
/// </summary>
public sealed class ScramTestClient
{
    private readonly string _password;
    private readonly byte[] _channelBindingData;
    private string? _clientFirstBare;
    private byte[]? _serverSignature;

    public ScramTestClient(string user, string password, string clientNonce, string gs2Header = "n,,", byte[]? channelBindingData = null)
    {
        User = user;
        _password = password;
        ClientNonce = clientNonce;
        Gs2Header = gs2Header;
        _channelBindingData = channelBindingData ?? [];
    }

    public string User { get; }

    public string ClientNonce { get; }

    public string Gs2Header { get; }

    public static string RandomNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));

    public string ClientFirst()
    {
        _clientFirstBare = $"n={User.Replace("=", "=3D").Replace(",", "=2C")},r={ClientNonce}";
        return Gs2Header + _clientFirstBare;
    }

    /// <summary>Answers server-first; <paramref name="nonceOverride"/> lets a test tamper with the echoed nonce.</summary>
    public string ClientFinal(string serverFirst, string? nonceOverride = null)
    {
        var attributes = serverFirst.Split(',').ToDictionary(a => a[0], a => a[2..]);
        var nonce = attributes['r'];
        Assert.StartsWith(ClientNonce, nonce);
        var salt = Convert.FromBase64String(attributes['s']);
        var iterations = int.Parse(attributes['i']);

        var channelBinding = Convert.ToBase64String([.. Encoding.ASCII.GetBytes(Gs2Header), .. _channelBindingData]);
        var withoutProof = $"c={channelBinding},r={nonceOverride ?? nonce}";
        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{serverFirst},{withoutProof}");

        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(_password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(saltedPassword, "Client Key"u8.ToArray());
        var storedKey = SHA256.HashData(clientKey);
        var clientSignature = HMACSHA256.HashData(storedKey, authMessage);
        var proof = clientKey.Zip(clientSignature, (a, b) => (byte)(a ^ b)).ToArray();
        var serverKey = HMACSHA256.HashData(saltedPassword, "Server Key"u8.ToArray());
        _serverSignature = HMACSHA256.HashData(serverKey, authMessage);
        return $"{withoutProof},p={Convert.ToBase64String(proof)}";
    }

    public bool VerifyServerFinal(string serverFinal) =>
        _serverSignature is not null && serverFinal == "v=" + Convert.ToBase64String(_serverSignature);
}
