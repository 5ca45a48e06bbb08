namespace Rampart.Security.Credentials;

/// <summary>Where CRAM-MD5 and APOP find an account's password-equivalent secret, present only for accounts an admin
/// opted in (SECURITY.md "SASL"). <see cref="LegacySecrets"/> implements it.</summary>
public interface ILegacySecretSource
{
    /// <summary>The account's secret (the NFKC password as UTF-8), or null when legacy mechanisms are off for it.</summary>
    ValueTask<byte[]?> GetAsync(string accountName, CancellationToken cancellationToken);
}
