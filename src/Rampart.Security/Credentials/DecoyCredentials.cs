using System.Security.Cryptography;
using System.Text;

namespace Rampart.Security.Credentials;

/// <summary>
/// Stand-ins for users that do not exist, so that a client cannot tell them from real ones
/// (SECURITY.md E01, A06).
/// </summary>
public static class DecoyCredentials
{
    /// <summary>The length of the server secret, in bytes (256 bits).</summary>
    public const int ServerSecretLength = 32;

    /// <summary>
    /// The SCRAM salt shown for a user that does not exist: HMAC-SHA-256(serverSecret, "scram-salt:" + name)
    /// truncated to <see cref="ScramCredential.SaltLength"/> bytes. It is the same on every try for one name
    /// (a random one would reveal the user is unknown), differs between names, and cannot be predicted without
    /// the server secret. The name is lower-cased first, because account lookup ignores case: otherwise
    /// "Bob" and "bob" getting different salts would reveal that neither exists.
    /// </summary>
    public static byte[] ScramSalt(ReadOnlySpan<byte> serverSecret, string userName)
    {
        ArgumentNullException.ThrowIfNull(userName);
        if (serverSecret.Length != ServerSecretLength)
        {
            throw new ArgumentException($"The server secret must be {ServerSecretLength} bytes.", nameof(serverSecret));
        }

        var message = Encoding.UTF8.GetBytes("scram-salt:" + userName.ToLowerInvariant());
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(serverSecret, message, mac);
        return mac[..ScramCredential.SaltLength].ToArray();
    }
}
