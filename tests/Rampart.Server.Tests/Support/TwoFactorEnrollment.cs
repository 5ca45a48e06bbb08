using System.Text;
using System.Text.RegularExpressions;
using OtpNet;

namespace Rampart.Server.Tests.Support;

/// <summary><c>rampart user 2fa enable NAME</c> as a user runs it: read the secret it prints (the otpauth URI), answer
/// with the current code as an authenticator app would, and expect exit 0.</summary>
public static partial class TwoFactorEnrollment
{
    /// <summary>Enrolls <paramref name="account"/> in the data directory <paramref name="data"/>; returns the secret.</summary>
    public static async Task<string> EnrollAsync(string account, string data, IDictionary<string, string>? environment = null)
    {
        string[] args = ["user", "2fa", "enable", account, "--no-qr", "--data", data];
        using var enable = RampartProcess.StartRaw(args, environment);
        var seen = new StringBuilder();
        string? secret = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (secret is null && await enable.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            seen.AppendLine(line);
            var match = SecretPattern().Match(line);
            secret = match.Success ? match.Groups[1].Value : null;
        }

        Assert.True(secret is not null, "no secret printed: " + seen);
        await enable.StandardInput.WriteLineAsync(new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp());
        enable.StandardInput.Close();
        var rest = await enable.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = await enable.StandardError.ReadToEndAsync(timeout.Token);
        await enable.WaitForExitAsync(timeout.Token);
        Assert.True(enable.ExitCode == 0, seen + rest + error);
        return secret;
    }

    [GeneratedRegex(@"secret=([A-Z2-7]+)")]
    private static partial Regex SecretPattern();
}
