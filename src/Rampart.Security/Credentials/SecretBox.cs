using System.Security.Cryptography;
using System.Text;

namespace Rampart.Security.Credentials;

/// <summary>
/// Encrypts small per-account secrets at rest (the TOTP seed, the CRAM-MD5/APOP password-equivalent) with AES-256-GCM
/// under a key derived from the server secret (<c>DATA/server.key</c>) by HKDF-SHA-256 with a purpose label, so a copy
/// of the database alone does not reveal them. The account name is the associated data: a record moved to another
/// account does not decrypt. Output: <c>v1.</c> + base64(nonce ‖ ciphertext ‖ tag).
/// </summary>
public sealed class SecretBox
{
    private const string Prefix = "v1.";
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private readonly byte[] _key;

    /// <summary>Derives the key for <paramref name="purpose"/> from the 32-byte <paramref name="serverSecret"/>.</summary>
    public SecretBox(ReadOnlySpan<byte> serverSecret, string purpose)
    {
        if (serverSecret.Length != DecoyCredentials.ServerSecretLength)
        {
            throw new ArgumentException($"The server secret must be {DecoyCredentials.ServerSecretLength} bytes.", nameof(serverSecret));
        }

        ArgumentException.ThrowIfNullOrEmpty(purpose);
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, serverSecret.ToArray(), 32, salt: [], info: Encoding.UTF8.GetBytes("rampart:" + purpose));
    }

    /// <summary>Encrypts <paramref name="plaintext"/> for <paramref name="accountName"/>.</summary>
    public string Seal(ReadOnlySpan<byte> plaintext, string accountName)
    {
        ArgumentNullException.ThrowIfNull(accountName);
        var output = new byte[NonceLength + plaintext.Length + TagLength];
        var nonce = output.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagLength);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceLength, plaintext.Length), output.AsSpan(NonceLength + plaintext.Length), Associated(accountName));
        return Prefix + Convert.ToBase64String(output);
    }

    /// <summary>Decrypts what <see cref="Seal"/> wrote for the same account; null when it was tampered with, moved, or
    /// sealed under another server secret.</summary>
    public byte[]? Open(string? sealedText, string accountName)
    {
        ArgumentNullException.ThrowIfNull(accountName);
        if (sealedText is null || !sealedText.StartsWith(Prefix, StringComparison.Ordinal) || sealedText.Length > 16 * 1024)
        {
            return null;
        }

        byte[] input;
        try
        {
            input = Convert.FromBase64String(sealedText[Prefix.Length..]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (input.Length < NonceLength + TagLength)
        {
            return null;
        }

        var plaintext = new byte[input.Length - NonceLength - TagLength];
        try
        {
            using var aes = new AesGcm(_key, TagLength);
            aes.Decrypt(input.AsSpan(0, NonceLength), input.AsSpan(NonceLength, plaintext.Length), input.AsSpan(NonceLength + plaintext.Length), plaintext, Associated(accountName));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private static byte[] Associated(string accountName) => Encoding.UTF8.GetBytes(accountName.ToLowerInvariant());
}
