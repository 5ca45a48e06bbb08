using Microsoft.Extensions.Configuration;
using Rampart.Security.Guard;
using Rampart.Security.LoginCache;
using Rampart.Security.Policy;
using Rampart.Server.Configuration;

namespace Rampart.Server.Security;

/// <summary>The <c>Security</c> configuration section: account security settings (SECURITY.md defaults), e.g.
/// <c>RAMPART__Security__PasswordProfile=nist</c> or <c>"Security": { "Guard": { "BanThreshold": 30 } }</c>.</summary>
public sealed class SecuritySettings
{
    /// <summary>The password policy profile: <c>default</c> (≥ 12, four classes, 90-day expiry) or <c>nist</c>.</summary>
    public string PasswordProfile { get; set; } = "default";

    /// <summary>A directory of Have-I-Been-Pwned range files (named by the 5-hex SHA-1 prefix), or null.</summary>
    public string? BreachedPasswordsDirectory { get; set; }

    /// <summary>Brute-force defence: delays, bans, trusted networks, the per-account throttle.</summary>
    public AuthGuardOptions Guard { get; set; } = new();

    /// <summary>Authenticated sessions per account and client. Default 10.</summary>
    public int SessionsPerUserAndIp { get; set; } = SessionLimiter.DefaultPerUserAndIp;

    /// <summary>Authenticated sessions per account. Default 16.</summary>
    public int SessionsPerAccount { get; set; } = SessionLimiter.DefaultPerAccount;

    /// <summary>How long a verified login is remembered. Default 5 minutes; zero turns the cache off.</summary>
    public TimeSpan LoginCacheTtl { get; set; } = VerifiedLoginCache.DefaultTtl;

    /// <summary>Whether CRAM-MD5 and APOP may be offered at all (each account still needs its own opt-in). Default false.</summary>
    public bool LegacyMechanisms { get; set; }

    /// <summary>Whether SCRAM-SHA-1 and SCRAM-SHA-1-PLUS are offered, and SCRAM-SHA-1 keys derived when a password is set
    /// (<c>rampart user add|passwd</c>, <c>rampart passwd</c>). Default false: RFC 7677 prefers SHA-256, and no SHA-1
    /// keys are kept unless some client needs them.</summary>
    public bool ScramSha1 { get; set; }

    /// <summary>The issuer name authenticator apps show for TOTP. Default "Rampart".</summary>
    public string TwoFactorIssuer { get; set; } = "Rampart";

    /// <summary>Binds the section from the loaded configuration.</summary>
    public static SecuritySettings Bind(ServerConfiguration configuration)
    {
        var settings = new SecuritySettings();
        configuration.Raw.GetSection("Security").Bind(settings);
        return settings;
    }

    /// <summary>Each setting an admin weakened below SECURITY.md's default, with the risk in one line: for
    /// <c>rampart security audit</c>. Empty with the defaults.</summary>
    public IReadOnlyList<string> WeakenedDefaults()
    {
        var defaults = new AuthGuardOptions();
        var found = new List<string>();
        void Check(bool weakened, string line)
        {
            if (weakened)
            {
                found.Add(line);
            }
        }

        Check(Guard.MaxFailuresPerSession > defaults.MaxFailuresPerSession, $"Security:Guard:MaxFailuresPerSession {Guard.MaxFailuresPerSession} (default {defaults.MaxFailuresPerSession}): more guesses per connection");
        Check(Guard.FirstDelay < defaults.FirstDelay || Guard.MaxDelay < defaults.MaxDelay, $"Security:Guard delays {Guard.FirstDelay}..{Guard.MaxDelay} (default {defaults.FirstDelay}..{defaults.MaxDelay}): faster guessing");
        Check(Guard.BanThreshold > defaults.BanThreshold, $"Security:Guard:BanThreshold {Guard.BanThreshold} (default {defaults.BanThreshold}): more guesses before a ban");
        Check(Guard.BanDuration < defaults.BanDuration, $"Security:Guard:BanDuration {Guard.BanDuration} (default {defaults.BanDuration}): banned guessers return sooner");
        Check(Guard.TrustedNetworks.Count > 0, $"Security:Guard:TrustedNetworks {string.Join(", ", Guard.TrustedNetworks)}: never delayed or banned; a compromised host there can guess freely");
        Check(Guard.AccountThrottleThreshold > defaults.AccountThrottleThreshold, $"Security:Guard:AccountThrottleThreshold {Guard.AccountThrottleThreshold} (default {defaults.AccountThrottleThreshold}): distributed guessing on one account goes on longer");
        Check(SessionsPerUserAndIp > SessionLimiter.DefaultPerUserAndIp || SessionsPerAccount > SessionLimiter.DefaultPerAccount, $"Security:SessionsPerUserAndIp/SessionsPerAccount {SessionsPerUserAndIp}/{SessionsPerAccount} (default {SessionLimiter.DefaultPerUserAndIp}/{SessionLimiter.DefaultPerAccount}): one stolen password holds more connections");
        Check(LoginCacheTtl > VerifiedLoginCache.DefaultTtl, $"Security:LoginCacheTtl {LoginCacheTtl} (default {VerifiedLoginCache.DefaultTtl}): a verified login is trusted longer");
        Check(LegacyMechanisms, "Security:LegacyMechanisms true: CRAM-MD5/APOP may be offered; opted-in accounts keep a password-equivalent secret");
        return found;
    }

    /// <summary>The password policy these settings select.</summary>
    public PasswordPolicy Policy() => PasswordPolicy.FromProfile(PasswordProfile, BreachedPasswordsDirectory);
}
