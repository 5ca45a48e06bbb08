using Rampart.Security.Credentials;
using Rampart.Security.Passwords;

namespace Rampart.Security.Policy;

/// <summary>
/// Sets an account's password through the policy: checks it (rules, common and breached lists, account name, the
/// last <see cref="PasswordPolicy.HistoryDepth"/> passwords), derives the credential, stores it and the history.
/// Used by <c>rampart user add|passwd</c> and <c>rampart passwd</c>; a protocol-level change would use it too.
/// </summary>
public sealed class PasswordChanger
{
    private readonly IAccountSecrets _secrets;
    private readonly PasswordHasher _hasher;
    private readonly TimeProvider _time;

    /// <summary>Creates a changer.</summary>
    public PasswordChanger(IAccountSecrets secrets, PasswordHasher hasher, PasswordPolicy? policy = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(hasher);
        _secrets = secrets;
        _hasher = hasher;
        Policy = policy ?? PasswordPolicy.Default;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The policy applied.</summary>
    public PasswordPolicy Policy { get; }

    /// <summary>
    /// Also derive SCRAM-SHA-1 keys (RFC 5802 §5) for each new password: true only while an admin has SCRAM-SHA-1
    /// enabled (<c>Security:ScramSha1</c>). Default false, so that no SHA-1 keys exist unless they are needed.
    /// </summary>
    public bool ScramSha1 { get; init; }

    /// <summary>Raised after a password was changed, with the account name: the login cache drops that account.</summary>
    public event Action<string>? Changed;

    /// <summary>Judges <paramref name="password"/> for <paramref name="accountName"/> including its history, without storing.</summary>
    public async ValueTask<PasswordPolicyResult> CheckAsync(string accountName, string password, CancellationToken cancellationToken)
    {
        var result = Policy.Check(password, accountName);
        if (!result.IsAccepted || Policy.HistoryDepth <= 0)
        {
            return result;
        }

        var history = PasswordHistory.Parse(await _secrets.GetAsync(accountName, SecretKinds.PasswordHistory, cancellationToken).ConfigureAwait(false));
        return history.Contains(password, Policy.HistoryDepth, _hasher)
            ? new PasswordPolicyResult(PasswordRefusal.RecentlyUsed, $"it is one of the last {Policy.HistoryDepth} passwords of this account")
            : result;
    }

    /// <summary>Checks and, when accepted, stores <paramref name="password"/> as the account's password.</summary>
    public async ValueTask<PasswordPolicyResult> ChangeAsync(string accountName, string password, CancellationToken cancellationToken)
    {
        var result = await CheckAsync(accountName, password, cancellationToken).ConfigureAwait(false);
        if (!result.IsAccepted)
        {
            return result;
        }

        PasswordCredential credential;
        try
        {
            credential = PasswordCredential.Create(password, _hasher, _time.GetUtcNow(), withScramSha1: ScramSha1);
        }
        catch (ArgumentException)
        {
            return new PasswordPolicyResult(PasswordRefusal.InvalidCharacters, "it contains characters a password may not have (SASLprep)");
        }

        var history = PasswordHistory.Parse(await _secrets.GetAsync(accountName, SecretKinds.PasswordHistory, cancellationToken).ConfigureAwait(false));
        history.Push(credential.PasswordHash, Math.Max(Policy.HistoryDepth, 1));
        await _secrets.SetAsync(accountName, SecretKinds.Password, credential.Serialize(), cancellationToken).ConfigureAwait(false);
        await _secrets.SetAsync(accountName, SecretKinds.PasswordHistory, history.Serialize(), cancellationToken).ConfigureAwait(false);
        Changed?.Invoke(accountName);
        return result;
    }

    /// <summary>Verifies <paramref name="password"/> against the account's current password (for <c>rampart passwd</c>:
    /// old password first). Costs one Argon2 run whether or not the account has a password.</summary>
    public async ValueTask<bool> VerifyCurrentAsync(string accountName, string password, CancellationToken cancellationToken)
    {
        var stored = await _secrets.GetAsync(accountName, SecretKinds.Password, cancellationToken).ConfigureAwait(false);
        return PasswordCredential.TryParse(stored, out var credential)
            ? _hasher.Verify(password, credential.PasswordHash)
            : _hasher.VerifyUnknownUser(password);
    }
}
