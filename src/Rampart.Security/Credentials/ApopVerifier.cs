using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rampart.Security.Credentials;

/// <summary>
/// POP3 APOP (RFC 1939 §7), off unless an admin opts an account in (<see cref="LegacySecrets"/>). The server puts a
/// fresh timestamp in its greeting; the client answers <c>APOP name digest</c> with
/// <c>digest = hex(MD5(timestamp ‖ secret))</c>. Timestamps never repeat (A09), so a captured digest cannot be replayed.
/// </summary>
public sealed class ApopVerifier
{
    private static long counter;
    private readonly ICredentialSource _credentials;
    private readonly ILegacySecretSource _secrets;

    /// <summary>Creates the verifier.</summary>
    public ApopVerifier(ICredentialSource credentials, ILegacySecretSource secrets)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(secrets);
        _credentials = credentials;
        _secrets = secrets;
    }

    /// <summary>A greeting timestamp, <c>&lt;random.counter@host&gt;</c>: 64 random bits and a process-wide counter,
    /// so no two connections ever get the same one (RFC 1939 §7: "MUST be different each time").</summary>
    public static string CreateTimestamp(string hostName)
    {
        ArgumentNullException.ThrowIfNull(hostName);
        var random = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        return string.Create(CultureInfo.InvariantCulture, $"<{random}.{Interlocked.Increment(ref counter)}@{hostName}>");
    }

    /// <summary>Checks an APOP digest for <paramref name="userName"/> against the greeting's <paramref name="timestamp"/>.
    /// Unknown users, accounts without the opt-in, and wrong digests all fail alike.</summary>
    public async ValueTask<PasswordCheck> VerifyAsync(string userName, string digest, string timestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(timestamp);
        var lookup = await _credentials.FindAsync(userName, cancellationToken).ConfigureAwait(false);
        var secret = lookup is null ? null : await _secrets.GetAsync(lookup.AccountName, cancellationToken).ConfigureAwait(false);
        var input = Encoding.ASCII.GetBytes(timestamp).Concat(secret ?? RandomNumberGenerator.GetBytes(16)).ToArray();
#pragma warning disable CA5351 // RFC 1939 §7 defines APOP with MD5; the mechanism is opt-in per account for that reason.
        var expected = Convert.ToHexStringLower(MD5.HashData(input));
#pragma warning restore CA5351
        CryptographicOperations.ZeroMemory(input);
        var matches = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(digest.Trim().ToLowerInvariant()));
        if (lookup is null)
        {
            return new PasswordCheck(PasswordCheckOutcome.UnknownUser, null);
        }

        if (secret is null)
        {
            return new PasswordCheck(PasswordCheckOutcome.NoPassword, lookup.AccountName);
        }

        CryptographicOperations.ZeroMemory(secret);
        return !matches
            ? new PasswordCheck(PasswordCheckOutcome.BadPassword, lookup.AccountName)
            : lookup.Enabled ? new PasswordCheck(PasswordCheckOutcome.Success, lookup.AccountName) : new PasswordCheck(PasswordCheckOutcome.Disabled, lookup.AccountName);
    }
}
