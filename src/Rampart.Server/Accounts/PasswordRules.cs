using Rampart.Server.Cli;

namespace Rampart.Server.Accounts;

/// <summary>The password checks <c>user add</c> and <c>user passwd</c> apply: at least 12 characters (SECURITY.md),
/// at most 1024 (a bound on hashing input, far above the 128 that must be allowed), not the account name. The full
/// policy — composition, history, expiry, breached lists — is the account-security work's.</summary>
public static class PasswordRules
{
    public const int MinimumLength = 12;

    public const int MaximumLength = 1024;

    public static void Check(string password, string accountName)
    {
        var length = new System.Globalization.StringInfo(password.Normalize(System.Text.NormalizationForm.FormKC)).LengthInTextElements;
        if (length < MinimumLength)
        {
            throw new CliException(ExitCodes.DataError, $"password refused: shorter than {MinimumLength} characters");
        }

        if (length > MaximumLength)
        {
            throw new CliException(ExitCodes.DataError, $"password refused: longer than {MaximumLength} characters");
        }

        if (password.Contains(accountName, StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException(ExitCodes.DataError, "password refused: it contains the account name");
        }

        if (password.Any(char.IsControl))
        {
            throw new CliException(ExitCodes.DataError, "password refused: it contains control characters");
        }
    }
}
