using System.Security.Cryptography;
using System.Text.Json;
using OtpNet;
using Rampart.Security.Credentials;
using Rampart.Security.Passwords;

namespace Rampart.Security.TwoFactor;

/// <summary>
/// TOTP two-factor authentication (RFC 6238 with RFC 4226 codes): enrollment confirmed by one code, verification
/// within ±1 time step, each code accepted once (SECURITY.md A12, F03), a per-account limit on wrong codes, and ten
/// single-use recovery codes stored as Argon2id hashes. The seed is kept sealed under the server key. With two
/// factors on, <see cref="Guard.LoginAuthenticator"/> refuses the main password on IMAP, POP3 and SMTP.
/// </summary>
public sealed class TwoFactorService : IDisposable
{
    /// <summary>Wrong codes per account within <see cref="FailureWindow"/> after which every code is refused: 5.</summary>
    public const int MaxFailures = 5;

    /// <summary>Recovery codes made at enrollment: 10.</summary>
    public const int RecoveryCodeCount = 10;

    /// <summary>The window wrong codes are counted in: 15 minutes.</summary>
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(15);

    private const string RecoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
    private readonly IAccountSecrets _secrets;
    private readonly SecretBox _box;
    private readonly PasswordHasher _hasher;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly Lock _failuresLock = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the service.</summary>
    public TwoFactorService(IAccountSecrets secrets, ReadOnlySpan<byte> serverSecret, PasswordHasher hasher, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(hasher);
        _secrets = secrets;
        _box = new SecretBox(serverSecret, "totp-seed");
        _hasher = hasher;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>True when the account has confirmed two-factor authentication.</summary>
    public async ValueTask<bool> IsEnabledAsync(string accountName, CancellationToken cancellationToken) =>
        (await ReadAsync(accountName, cancellationToken).ConfigureAwait(false))?.Enabled == true;

    /// <summary>Starts (or restarts) enrollment: a fresh 160-bit seed, not yet in force.</summary>
    /// <exception cref="InvalidOperationException">Two factors are already on; disable first.</exception>
    public async ValueTask<TotpEnrollment> BeginEnrollmentAsync(string accountName, string issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (await IsEnabledAsync(accountName, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("two-factor authentication is already enabled for this account");
        }

        var seed = RandomNumberGenerator.GetBytes(20);
        var document = new TwoFactorDocument { Seed = _box.Seal(seed, accountName) };
        await WriteAsync(accountName, document, cancellationToken).ConfigureAwait(false);
        var base32 = Base32Encoding.ToString(seed).TrimEnd('=');
        var label = Uri.EscapeDataString(issuer) + ":" + Uri.EscapeDataString(accountName);
        var uri = $"otpauth://totp/{label}?secret={base32}&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits=6&period=30";
        return new TotpEnrollment(base32, uri);
    }

    /// <summary>Confirms enrollment with one code from the app; on success two factors are on and the recovery codes
    /// (shown once) are returned; null when the code is wrong or no enrollment is pending.</summary>
    public async ValueTask<IReadOnlyList<string>?> CompleteEnrollmentAsync(string accountName, string code, CancellationToken cancellationToken)
    {
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var document = await ReadAsync(accountName, cancellationToken).ConfigureAwait(false);
            if (document is null || document.Enabled || !Match(document, accountName, code, out var step))
            {
                return null;
            }

            var codes = Enumerable.Range(0, RecoveryCodeCount).Select(_ => NewRecoveryCode()).ToList();
            document.Enabled = true;
            document.LastStep = step;
            document.RecoveryHashes = [.. codes.Select(c => _hasher.Hash(c.Replace("-", string.Empty, StringComparison.Ordinal)))];
            await WriteAsync(accountName, document, cancellationToken).ConfigureAwait(false);
            return codes;
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>Checks a TOTP code: right step ±1, newer than any accepted before, and the account not over
    /// <see cref="MaxFailures"/>. A code is accepted once only.</summary>
    public async ValueTask<bool> VerifyCodeAsync(string accountName, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsLockedOut(accountName))
            {
                return false;
            }

            var document = await ReadAsync(accountName, cancellationToken).ConfigureAwait(false);
            if (document is not { Enabled: true } || !Match(document, accountName, code, out var step) || step <= document.LastStep)
            {
                RecordFailure(accountName);
                return false;
            }

            document.LastStep = step;
            await WriteAsync(accountName, document, cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>Uses one recovery code (case and dashes ignored); it is then gone.</summary>
    public async ValueTask<bool> UseRecoveryCodeAsync(string accountName, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        var cleaned = code.Replace("-", string.Empty, StringComparison.Ordinal).Trim().ToLowerInvariant();
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsLockedOut(accountName))
            {
                return false;
            }

            var document = await ReadAsync(accountName, cancellationToken).ConfigureAwait(false);
            var index = document?.RecoveryHashes.FindIndex(h => _hasher.Verify(cleaned, h)) ?? -1;
            if (document is null || index < 0)
            {
                RecordFailure(accountName);
                return false;
            }

            document.RecoveryHashes.RemoveAt(index);
            await WriteAsync(accountName, document, cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>Recovery codes left.</summary>
    public async ValueTask<int> RecoveryCodesLeftAsync(string accountName, CancellationToken cancellationToken) =>
        (await ReadAsync(accountName, cancellationToken).ConfigureAwait(false))?.RecoveryHashes.Count ?? 0;

    /// <summary>Turns two factors off and forgets the seed.</summary>
    public ValueTask DisableAsync(string accountName, CancellationToken cancellationToken) =>
        _secrets.SetAsync(accountName, SecretKinds.TwoFactor, null, cancellationToken);

    /// <summary>The code for the current step (for tests and for showing the admin that the clock agrees).</summary>
    internal async ValueTask<string?> CurrentCodeAsync(string accountName, TimeSpan offset, CancellationToken cancellationToken)
    {
        var document = await ReadAsync(accountName, cancellationToken).ConfigureAwait(false);
        var seed = document is null ? null : _box.Open(document.Seed, accountName);
        return seed is null ? null : new Totp(seed).ComputeTotp((_time.GetUtcNow() + offset).UtcDateTime);
    }

    /// <inheritdoc/>
    public void Dispose() => _write.Dispose();

    private bool Match(TwoFactorDocument document, string accountName, string code, out long step)
    {
        step = 0;
        var seed = _box.Open(document.Seed, accountName);
        var trimmed = code.Trim();
        if (seed is null || trimmed.Length != 6 || !trimmed.All(char.IsAsciiDigit))
        {
            return false;
        }

        // RFC 6238 §5.2: allow one step of clock drift either way, no more.
        return new Totp(seed).VerifyTotp(_time.GetUtcNow().UtcDateTime, trimmed, out step, new VerificationWindow(previous: 1, future: 1));
    }

    private bool IsLockedOut(string accountName)
    {
        var now = _time.GetUtcNow();
        lock (_failuresLock)
        {
            if (!_failures.TryGetValue(accountName, out var queue))
            {
                return false;
            }

            while (queue.TryPeek(out var oldest) && now - oldest > FailureWindow)
            {
                queue.Dequeue();
            }

            return queue.Count >= MaxFailures;
        }
    }

    private void RecordFailure(string accountName)
    {
        lock (_failuresLock)
        {
            if (!_failures.TryGetValue(accountName, out var queue))
            {
                _failures[accountName] = queue = new Queue<DateTimeOffset>();
            }

            queue.Enqueue(_time.GetUtcNow());
        }
    }

    private static string NewRecoveryCode()
    {
        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = RecoveryAlphabet[RandomNumberGenerator.GetInt32(RecoveryAlphabet.Length)];
        }

        return new string(chars, 0, 5) + "-" + new string(chars, 5, 5);
    }

    private async ValueTask<TwoFactorDocument?> ReadAsync(string accountName, CancellationToken cancellationToken)
    {
        var text = await _secrets.GetAsync(accountName, SecretKinds.TwoFactor, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(text) || text.Length > 64 * 1024)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(text, TwoFactorJsonContext.Default.TwoFactorDocument);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private ValueTask WriteAsync(string accountName, TwoFactorDocument document, CancellationToken cancellationToken) =>
        _secrets.SetAsync(accountName, SecretKinds.TwoFactor, JsonSerializer.Serialize(document, TwoFactorJsonContext.Default.TwoFactorDocument), cancellationToken);
}
