using System.Globalization;
using Rampart.Security.Passwords;

namespace Rampart.Security.Policy;

/// <summary>
/// The rules a new password must pass, and when an old one expires. Two profiles ship: <see cref="Default"/>
/// (SECURITY.md: at least 12 characters with upper, lower, digit and symbol, none of the last 5, 90-day expiry,
/// never common or breached) and <see cref="Nist"/> (NIST SP 800-63B rev. 4 §3.1.1.2: at least 15, no composition
/// rules, no expiry, never common or breached). Passwords are judged in NFKC form, counted in user-perceived
/// characters, never truncated; up to <see cref="MaxLength"/> (≥ 128) are accepted.
/// </summary>
public sealed record PasswordPolicy
{
    /// <summary>The longest password accepted, in characters: a bound on hashing input, far above the 128 that must pass.</summary>
    public const int MaxLength = 1024;

    /// <summary>The profile's name (<c>default</c> or <c>nist</c>), for messages and the self-check.</summary>
    public string Name { get; init; } = "default";

    /// <summary>The fewest characters. Default 12.</summary>
    public int MinLength { get; init; } = 12;

    /// <summary>Whether upper, lower, digit and symbol are all required. Default true.</summary>
    public bool RequireCharacterClasses { get; init; } = true;

    /// <summary>How many recent passwords may not be reused. Default 5.</summary>
    public int HistoryDepth { get; init; } = 5;

    /// <summary>How long a password lasts; null for never. Default 90 days.</summary>
    public TimeSpan? MaxAge { get; init; } = TimeSpan.FromDays(90);

    /// <summary>Whether the shipped common-password list applies. Default true.</summary>
    public bool RefuseCommon { get; init; } = true;

    /// <summary>Breached-password range files to consult, or null.</summary>
    public BreachedPasswordRanges? Breached { get; init; }

    /// <summary>The SECURITY.md default profile.</summary>
    public static PasswordPolicy Default { get; } = new();

    /// <summary>The NIST SP 800-63B profile: length over composition, no forced expiry.</summary>
    public static PasswordPolicy Nist { get; } = new()
    {
        Name = "nist",
        MinLength = 15,
        RequireCharacterClasses = false,
        HistoryDepth = 0,
        MaxAge = null,
    };

    /// <summary>The profile named <paramref name="name"/> (<c>default</c> or <c>nist</c>, any case), with
    /// <paramref name="breachedDirectory"/> when given.</summary>
    /// <exception cref="ArgumentException">An unknown profile name.</exception>
    public static PasswordPolicy FromProfile(string? name, string? breachedDirectory = null)
    {
        var profile = (name ?? "default").Trim().ToLowerInvariant() switch
        {
            "" or "default" => Default,
            "nist" => Nist,
            _ => throw new ArgumentException($"unknown password policy profile \"{name}\" (default, nist)", nameof(name)),
        };
        return string.IsNullOrEmpty(breachedDirectory) ? profile : profile with { Breached = new BreachedPasswordRanges(breachedDirectory) };
    }

    /// <summary>Judges <paramref name="password"/> for the account <paramref name="accountName"/>, without history
    /// (see <see cref="PasswordHistory"/> for that).</summary>
    public PasswordPolicyResult Check(string password, string accountName)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(accountName);
        string normalized;
        try
        {
            normalized = PasswordNormalization.ToNfkc(password);
        }
        catch (ArgumentException)
        {
            return Refuse(PasswordRefusal.InvalidCharacters, "it is not valid Unicode text");
        }

        if (normalized.Any(char.IsControl))
        {
            return Refuse(PasswordRefusal.InvalidCharacters, "it contains control characters");
        }

        var length = new StringInfo(normalized).LengthInTextElements;
        if (length < MinLength)
        {
            return Refuse(PasswordRefusal.TooShort, $"shorter than {MinLength} characters (a passphrase of several words is easiest)");
        }

        if (length > MaxLength)
        {
            return Refuse(PasswordRefusal.TooLong, $"longer than {MaxLength} characters");
        }

        if (RequireCharacterClasses)
        {
            var missing = new List<string>();
            if (!normalized.Any(char.IsUpper))
            {
                missing.Add("an upper-case letter");
            }

            if (!normalized.Any(char.IsLower))
            {
                missing.Add("a lower-case letter");
            }

            if (!normalized.Any(char.IsDigit))
            {
                missing.Add("a digit");
            }

            if (normalized.All(char.IsLetterOrDigit))
            {
                missing.Add("a symbol");
            }

            if (missing.Count > 0)
            {
                return Refuse(PasswordRefusal.MissingCharacterClass, $"it needs {string.Join(", ", missing)}");
            }
        }

        if (IsUserNameDerived(normalized, accountName))
        {
            return Refuse(PasswordRefusal.UserNameDerived, "it contains the account name");
        }

        if (RefuseCommon && CommonPasswordList.Contains(normalized))
        {
            return Refuse(PasswordRefusal.Common, "it is one of the most common passwords");
        }

        if (Breached is { } breached && breached.TimesSeen(normalized) > 0)
        {
            return Refuse(PasswordRefusal.Breached, "it appears in known password breaches");
        }

        return PasswordPolicyResult.Accepted;
    }

    /// <summary>True when a password set at <paramref name="changedAt"/> has expired at <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset changedAt, DateTimeOffset now) => MaxAge is { } age && now - changedAt > age;

    private static bool IsUserNameDerived(string password, string accountName)
    {
        var lower = password.ToLowerInvariant();
        var names = new List<string> { accountName.ToLowerInvariant() };
        var at = accountName.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            names.Add(accountName[..at].ToLowerInvariant());
        }

        foreach (var name in names.Where(n => n.Length >= 3))
        {
            var reversed = new string([.. name.Reverse()]);
            if (lower.Contains(name, StringComparison.Ordinal) || lower.Contains(reversed, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static PasswordPolicyResult Refuse(PasswordRefusal refusal, string message) => new(refusal, message);
}
