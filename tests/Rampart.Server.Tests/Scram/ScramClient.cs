using System.Security.Cryptography;
using System.Text;

namespace Rampart.Server.Tests.Scram;

/// <summary>
/// A SCRAM client written from RFC 5802 §3 and §7 (with SHA-256 per RFC 7677, or SHA-1), independent of Rampart's
/// server code: it builds client-first and client-final for any GS2 header and channel-binding data, and checks the
/// server signature.
/// </summary>
internal sealed class ScramClient(HashAlgorithmName hash, string user, string password)
{
    private readonly string _clientNonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
    private string _gs2Header = "n,,";
    private string _clientFirstBare = "";
    private byte[] _serverKey = [];
    private string _authMessage = "";

    /// <summary>client-first-message with <paramref name="gs2Header"/> (e.g. <c>p=tls-server-end-point,,</c>, <c>y,,</c>, <c>n,,</c>).</summary>
    public string First(string gs2Header)
    {
        _gs2Header = gs2Header;
        _clientFirstBare = $"n={user},r={_clientNonce}";
        return gs2Header + _clientFirstBare;
    }

    /// <summary>client-final-message for <paramref name="serverFirst"/>; <paramref name="bindingData"/> follows the GS2
    /// header in <c>c=</c> (RFC 5802 §7: only with the <c>p</c> flag).</summary>
    public string Final(string serverFirst, byte[] bindingData)
    {
        var parts = serverFirst.Split(',').ToDictionary(p => p[..1], p => p[2..]);
        var nonce = parts["r"];
        Assert.StartsWith(_clientNonce, nonce, StringComparison.Ordinal);
        Assert.True(nonce.Length > _clientNonce.Length, "the server added no nonce of its own");
        var salt = Convert.FromBase64String(parts["s"]);
        var iterations = int.Parse(parts["i"], System.Globalization.CultureInfo.InvariantCulture);

        var length = hash == HashAlgorithmName.SHA1 ? 20 : 32;
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, hash, length);
        var clientKey = CryptographicOperations.HmacData(hash, salted, "Client Key"u8);
        var storedKey = CryptographicOperations.HashData(hash, clientKey);
        _serverKey = CryptographicOperations.HmacData(hash, salted, "Server Key"u8);

        var channelBinding = Convert.ToBase64String([.. Encoding.ASCII.GetBytes(_gs2Header), .. bindingData]);
        var withoutProof = $"c={channelBinding},r={nonce}";
        _authMessage = $"{_clientFirstBare},{serverFirst},{withoutProof}";
        var signature = CryptographicOperations.HmacData(hash, storedKey, Encoding.UTF8.GetBytes(_authMessage));
        var proof = clientKey.Zip(signature, (a, b) => (byte)(a ^ b)).ToArray();
        return $"{withoutProof},p={Convert.ToBase64String(proof)}";
    }

    /// <summary>True when <paramref name="serverFinal"/> is <c>v=</c> with the right ServerSignature.</summary>
    public bool Verifies(string serverFinal)
    {
        var expected = CryptographicOperations.HmacData(hash, _serverKey, Encoding.UTF8.GetBytes(_authMessage));
        return serverFinal == "v=" + Convert.ToBase64String(expected);
    }
}
