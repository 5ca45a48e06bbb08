using System.Security.Cryptography;
using Rampart.Security.Passwords;

namespace Rampart.Security.Credentials;

/// <summary>
/// The per-account opt-in for CRAM-MD5 (RFC 2195) and APOP (RFC 1939 §7). Both need the server to hold something
/// equivalent to the password, so Rampart keeps it only for accounts an admin enabled, sealed with AES-256-GCM under a
/// key derived from the server secret (<see cref="SecretBox"/>, purpose <c>legacy-secret</c>). DIGEST-MD5 (RFC 6331)
/// and NTLM are never implemented.
/// </summary>
public sealed class LegacySecrets : ILegacySecretSource
{
    private readonly IAccountSecrets _secrets;
    private readonly SecretBox _box;

    /// <summary>Creates the store.</summary>
    public LegacySecrets(IAccountSecrets secrets, ReadOnlySpan<byte> serverSecret)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _secrets = secrets;
        _box = new SecretBox(serverSecret, "legacy-secret");
    }

    /// <summary>Turns the legacy mechanisms on for the account with its current <paramref name="password"/> (the caller
    /// verified it); the secret must be set again after each password change.</summary>
    public ValueTask EnableAsync(string accountName, string password, CancellationToken cancellationToken)
    {
        var bytes = PasswordNormalization.ToHashInput(password);
        try
        {
            return _secrets.SetAsync(accountName, SecretKinds.LegacySecret, _box.Seal(bytes, accountName), cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Turns them off and deletes the secret.</summary>
    public ValueTask DisableAsync(string accountName, CancellationToken cancellationToken) =>
        _secrets.SetAsync(accountName, SecretKinds.LegacySecret, null, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<byte[]?> GetAsync(string accountName, CancellationToken cancellationToken) =>
        _box.Open(await _secrets.GetAsync(accountName, SecretKinds.LegacySecret, cancellationToken).ConfigureAwait(false), accountName);
}
