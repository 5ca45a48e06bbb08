using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rampart.Security.Sasl.Mechanisms.CramMd5;

/// <summary>
/// The server side of CRAM-MD5 (RFC 2195 §2): the challenge is a unique <c>&lt;random.time@host&gt;</c>; the response is
/// <c>user SP 32 lower-case hex digits</c> of HMAC-MD5(secret, challenge). Unknown users and accounts without the
/// opt-in compute an HMAC with a random key, so they fail like a wrong password.
/// </summary>
internal sealed class CramMd5Server : SaslServer
{
    private readonly byte[] _challenge;

    public CramMd5Server(SaslContext context)
        : base(context)
    {
        var random = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        _challenge = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"<{random}.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}@rampart>"));
    }

    public override string MechanismName => CramMd5Mechanism.Instance.Name;

    // RFC 2195 §2: the server speaks first.
    protected override SaslStep InitialChallenge() => SaslStep.Continue(_challenge);

    protected override async ValueTask<SaslStep> RespondAsync(ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
    {
        if (Rounds == 1)
        {
            // An initial response makes no sense for a server-first mechanism (RFC 4422 §4 item 3b).
            return SaslStep.Failure(SaslFailureReason.Malformed);
        }

        var text = Encoding.ASCII.GetString(response.Span);
        var space = text.LastIndexOf(' ');
        if (space <= 0 || text.Length - space - 1 != 32 || !text[(space + 1)..].All(char.IsAsciiHexDigit) || response.Span.ContainsAnyExceptInRange((byte)0x20, (byte)0x7e))
        {
            return SaslStep.Failure(SaslFailureReason.Malformed);
        }

        var user = text[..space];
        var digest = text[(space + 1)..].ToLowerInvariant();
        var lookup = await Context.Credentials.FindAsync(user, cancellationToken).ConfigureAwait(false);
        var secret = lookup is null || Context.LegacySecrets is null
            ? null
            : await Context.LegacySecrets.GetAsync(lookup.AccountName, cancellationToken).ConfigureAwait(false);
#pragma warning disable CA5351 // RFC 2195 defines CRAM-MD5 with HMAC-MD5; the mechanism is opt-in per account for that reason.
        var expected = Convert.ToHexStringLower(HMACMD5.HashData(secret ?? RandomNumberGenerator.GetBytes(16), _challenge));
#pragma warning restore CA5351
        var matches = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(digest));
        if (secret is not null)
        {
            CryptographicOperations.ZeroMemory(secret);
        }

        if (lookup is null)
        {
            return SaslStep.Failure(SaslFailureReason.UnknownUser, user);
        }

        if (secret is null)
        {
            return SaslStep.Failure(SaslFailureReason.NoCredential, user);
        }

        if (!matches)
        {
            return SaslStep.Failure(SaslFailureReason.BadCredentials, user);
        }

        return lookup.Enabled
            ? SaslStep.Success(new SaslIdentity(lookup.AccountName, MechanismName), attemptedUser: user)
            : SaslStep.Failure(SaslFailureReason.Disabled, user);
    }
}
