using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Rampart.Monitoring;
using Rampart.Net.Options;
using Rampart.Net.Tls;
using Rampart.Server.Configuration;

namespace Rampart.Server.Monitoring;

/// <summary>
/// <c>rampart security audit</c>: checks a configuration and data directory against SECURITY.md's defaults and the
/// hardening checklist, one <see cref="SecurityCheck"/> per item. The defaults (with a CA-issued certificate, which is
/// deployment input rather than a setting) give PASS everywhere. WARN marks a real remaining risk: the generated
/// self-signed certificate (works on first start, clients cannot verify it), IMAP/POP3 open to any address while
/// AuthGuard is weakened, no admin alert sink (no webhook and no administrator account to mail), and accounts
/// without a second factor (TOTP is each user's to set up; an admin cannot do it for them).
/// </summary>
public static class SecuritySelfCheck
{
    /// <summary>Certificates expiring within this many days are a WARN. 14 days: time to renew before clients break.</summary>
    public const int ExpiryWarningDays = 14;

    /// <summary>Most account names listed on the <c>accounts.2fa</c> line; the rest are counted. 10 keeps it one line.</summary>
    public const int MaxAccountsNamed = 10;

    /// <summary>Runs every check.</summary>
    /// <param name="configuration">The configuration to judge.</param>
    /// <param name="monitoring">Its Monitoring section.</param>
    /// <param name="dataDirectory">The data directory (permissions, certificate).</param>
    /// <param name="now">The time certificates are judged at.</param>
    /// <param name="twoFactor">Which accounts have a second factor; null when there is no store yet (no accounts).</param>
    /// <param name="enabledAccounts">The enabled accounts' names (where admin alert mail can go); null when there is no
    /// store yet.</param>
    public static IReadOnlyList<SecurityCheck> Run(ServerConfiguration configuration, MonitoringOptions monitoring, string dataDirectory, DateTimeOffset now, TwoFactorCoverage? twoFactor = null, IReadOnlyCollection<string>? enabledAccounts = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(monitoring);
        var checks = new List<SecurityCheck>();
        foreach (var listener in configuration.Listeners)
        {
            checks.Add(CheckListener(listener));
        }

        checks.Add(new SecurityCheck("auth.cleartext", CheckStatus.Pass, "no authentication before TLS on any listener (enforced in code, not configurable)", "", ""));
        checks.Add(new SecurityCheck("tls.versions", CheckStatus.Pass, "TLS 1.2 and 1.3 only; ECDHE with AEAD suites; no compression or renegotiation (fixed by policy)", "", ""));
        checks.Add(CheckCertificate(configuration, dataDirectory, now));
        checks.Add(CheckLegacyMechanisms(configuration));
        checks.Add(CheckScram(configuration));
        checks.Add(Rampart.Server.Security.GssapiSettings.Check(configuration));
        checks.AddRange(Rampart.Server.Security.FederatedAuthentication.Checks(configuration));
        checks.Add(CheckPasswordPolicy(configuration));
        checks.Add(CheckGuard(configuration));
        checks.Add(CheckTwoFactor(twoFactor));
        checks.Add(CheckAccess(configuration));
        checks.Add(CheckImapCompress(configuration));
        checks.Add(CheckAdmin(configuration));
        checks.Add(CheckAudit(monitoring));
        checks.Add(CheckDetectors(monitoring));
        checks.Add(CheckAlerts(monitoring, enabledAccounts));
        checks.Add(CheckDataDirectory(dataDirectory));
        return checks;
    }

    private static SecurityCheck CheckListener(ResolvedListener listener)
    {
        var id = "listener." + listener.Name;
        var where = $"{listener.Name} on {listener.EndPoint}";
        if (!listener.Enabled)
        {
            return new SecurityCheck(id, CheckStatus.Pass, $"{listener.Name} is off", "", "");
        }

        return (listener.Definition.Protocol, listener.Security) switch
        {
            (_, TlsMode.Implicit) => new SecurityCheck(id, CheckStatus.Pass, $"{where}: implicit TLS", "", ""),
            ("imap" or "pop3", _) => new SecurityCheck(id, CheckStatus.Fail, $"{where}: plaintext port with STARTTLS",
                "a client that skips STARTTLS or is stripped of it by an attacker talks in clear; RFC 8314 prefers implicit TLS",
                $"turn it off (Listeners:{listener.Name}:Enabled=false) and use {listener.Name}s"),
            ("smtp", _) when listener.Name == "smtp" => new SecurityCheck(id, CheckStatus.Pass, $"{where}: inbound SMTP with STARTTLS (port 25 has no implicit TLS)", "", ""),
            ("smtp", _) => new SecurityCheck(id, CheckStatus.Warn, $"{where}: submission with STARTTLS",
                "a client that skips STARTTLS cannot log in, but its first commands travel in clear", "prefer submissions (465, implicit TLS; RFC 8314)"),
            (_, TlsMode.None) when IPAddress.IsLoopback(listener.EndPoint.Address) => new SecurityCheck(id, CheckStatus.Pass, $"{where}: no TLS, loopback only", "", ""),
            (_, TlsMode.None) => new SecurityCheck(id, CheckStatus.Fail, $"{where}: no TLS on a non-loopback address",
                "anyone on the network can read and inject traffic", $"bind Listeners:{listener.Name}:Endpoint to 127.0.0.1"),
            _ => new SecurityCheck(id, CheckStatus.Warn, $"{where}: STARTTLS", "first commands travel in clear", "prefer implicit TLS"),
        };
    }

    private static SecurityCheck CheckCertificate(ServerConfiguration configuration, string dataDirectory, DateTimeOffset now)
    {
        var configured = configuration.Options.Tls.CertificatePath;
        var path = configured ?? Path.Combine(dataDirectory, "tls", SelfSignedCertificate.CertificateFileName);
        if (!File.Exists(path))
        {
            return new SecurityCheck("tls.certificate", CheckStatus.Warn, "no certificate yet: a self-signed one is generated on first start",
                "clients cannot verify a self-signed certificate and users learn to click through warnings", "configure Tls:CertificatePath and Tls:KeyPath (e.g. from ACME)");
        }

        X509Certificate2 certificate;
        try
        {
            // With the key: a certificate whose key does not match cannot serve TLS at all.
            certificate = configured is not null && configuration.Options.Tls.KeyPath is { Length: > 0 } key
                ? X509Certificate2.CreateFromPemFile(path, key)
                : X509Certificate2.CreateFromPem(File.ReadAllText(path)); // CreateFromPemFile would look for the key in this file
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or ArgumentException)
        {
            return new SecurityCheck("tls.certificate", CheckStatus.Fail, $"{path} cannot be read: {e.Message}", "TLS listeners cannot start", "replace the PEM file");
        }

        using (certificate)
        {
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
            var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
            var detail = $"{certificate.Subject}, valid until {notAfter:yyyy-MM-dd}";
            if (now > notAfter || now < notBefore)
            {
                return new SecurityCheck("tls.certificate", CheckStatus.Fail, $"{path}: not valid now ({detail})", "clients refuse to connect or learn to ignore errors", "renew the certificate");
            }

            if (notAfter - now < TimeSpan.FromDays(ExpiryWarningDays))
            {
                return new SecurityCheck("tls.certificate", CheckStatus.Warn, $"{path}: expires in {(notAfter - now).Days} days ({detail})", "clients will fail when it expires", "renew the certificate now");
            }

            if (configured is null || certificate.Subject == certificate.Issuer)
            {
                return new SecurityCheck("tls.certificate", CheckStatus.Warn, $"self-signed certificate ({detail})",
                    "clients cannot verify it and users learn to click through warnings", "configure Tls:CertificatePath and Tls:KeyPath with a CA-issued certificate");
            }

            // Trust is not judged here: a private CA the clients are given is as good as a public one, and this
            // machine's trust store says nothing about theirs. The name is: clients verify it against what they dial.
            if (!certificate.MatchesHostname(configuration.HostName))
            {
                return new SecurityCheck("tls.certificate", CheckStatus.Warn, $"{path} does not name {configuration.HostName} ({detail})",
                    "clients that dial the server's host name fail verification and users learn to click through warnings", "use a certificate whose subject alternative names include the host name, or set HostName");
            }

            return new SecurityCheck("tls.certificate", CheckStatus.Pass, $"{path}: issued by {certificate.Issuer} ({detail})", "", "");
        }
    }

    private static SecurityCheck CheckLegacyMechanisms(ServerConfiguration configuration)
    {
        // CRAM-MD5 and APOP need a password-equivalent secret; they are per-account opt-in, never global.
        var enabled = configuration.Raw.AsEnumerable()
            .Where(p => p.Value is not null && p.Value.Equals("true", StringComparison.OrdinalIgnoreCase))
            .Select(p => p.Key)
            .Where(k => k.Contains("CramMd5", StringComparison.OrdinalIgnoreCase) || k.Contains("Apop", StringComparison.OrdinalIgnoreCase) || k.Contains("DigestMd5", StringComparison.OrdinalIgnoreCase))
            .ToList();
        return enabled.Count == 0
            ? new SecurityCheck("sasl.legacy", CheckStatus.Pass, "CRAM-MD5, APOP and DIGEST-MD5 are not enabled globally", "", "")
            : new SecurityCheck("sasl.legacy", CheckStatus.Fail, "legacy mechanisms enabled: " + string.Join(", ", enabled),
                "they need a password-equivalent secret on the server and are weak against offline guessing", "remove those settings; enable them only per account where a client cannot do better");
    }

    private static SecurityCheck CheckScram(ServerConfiguration configuration) =>
        Security.SecuritySettings.Bind(configuration).ScramSha1
            ? new SecurityCheck("sasl.scram", CheckStatus.Warn, "Security:ScramSha1 true: SCRAM-SHA-1 and SCRAM-SHA-1-PLUS offered, and SHA-1 keys derived for each password set",
                "clients may pick SHA-1, which RFC 7677 asks them to avoid; a stolen SHA-1 StoredKey is a cheaper target for offline guessing", "turn it off once every client does SCRAM-SHA-256 (then reset passwords to drop the SHA-1 keys)")
            : new SecurityCheck("sasl.scram", CheckStatus.Pass, "SCRAM-SHA-256-PLUS (tls-server-end-point channel binding, RFC 5929) and SCRAM-SHA-256 offered inside TLS; SCRAM-SHA-1 off", "", "");

    private static SecurityCheck CheckPasswordPolicy(ServerConfiguration configuration)
    {
        // Security:PasswordProfile is the key serve reads; Security:PasswordPolicy is not a setting at all, and one set
        // by an admin who meant the profile silently changes nothing.
        if (configuration.Raw["Security:PasswordPolicy"] is { } stray)
        {
            return new SecurityCheck("passwords.policy", CheckStatus.Fail, $"Security:PasswordPolicy '{stray}' is not a setting: the profile is Security:PasswordProfile",
                "the policy in force is not the one intended", "rename it to Security:PasswordProfile (default or nist)");
        }

        var settings = Security.SecuritySettings.Bind(configuration);
        try
        {
            settings.Policy();
        }
        catch (ArgumentException)
        {
            return new SecurityCheck("passwords.policy", CheckStatus.Fail, $"unknown password policy profile '{settings.PasswordProfile}'",
                "serve refuses to start; passwords cannot be checked as intended", "set Security:PasswordProfile to default or nist");
        }

        if (settings.BreachedPasswordsDirectory is { Length: > 0 } breached && !Directory.Exists(breached))
        {
            return new SecurityCheck("passwords.policy", CheckStatus.Fail, $"Security:BreachedPasswordsDirectory {breached} does not exist",
                "breached passwords are not refused", "point it at a directory of range files, or remove it (the shipped common-password list stays)");
        }

        return settings.PasswordProfile.Trim().ToLowerInvariant() switch
        {
            "nist" => new SecurityCheck("passwords.policy", CheckStatus.Pass, "password policy: nist (≥ 15 characters, no composition or expiry, breached list)", "", ""),
            _ => new SecurityCheck("passwords.policy", CheckStatus.Pass, "password policy: default (≥ 12 characters, four classes, history 5, 90-day change, breached list)", "", ""),
        };
    }

    private static SecurityCheck CheckGuard(ServerConfiguration configuration)
    {
        var weakened = Security.SecuritySettings.Bind(configuration).WeakenedDefaults();
        return weakened.Count == 0
            ? new SecurityCheck("guard.limits", CheckStatus.Pass, "brute-force defence and session limits at SECURITY.md's defaults or stricter", "", "")
            : new SecurityCheck("guard.limits", CheckStatus.Fail, "weakened: " + string.Join("; ", weakened),
                "guessing, credential stuffing or one stolen password get further", "remove those Security settings to return to the defaults");
    }

    private static SecurityCheck CheckTwoFactor(TwoFactorCoverage? coverage)
    {
        if (coverage is null || coverage.Accounts == 0)
        {
            return new SecurityCheck("accounts.2fa", CheckStatus.Pass, "no accounts yet", "", "");
        }

        if (coverage.Without.Count == 0)
        {
            return new SecurityCheck("accounts.2fa", CheckStatus.Pass, $"all {coverage.Accounts} accounts have a second factor", "", "");
        }

        var named = string.Join(", ", coverage.Without.Take(MaxAccountsNamed)) + (coverage.Without.Count > MaxAccountsNamed ? $" and {coverage.Without.Count - MaxAccountsNamed} more" : "");
        return new SecurityCheck("accounts.2fa", CheckStatus.Warn, $"{coverage.Without.Count} of {coverage.Accounts} accounts without a second factor: {named}",
            "accounts with only a password fall to one phished or reused password", "have each user run `rampart user 2fa enable NAME` and use app passwords for mail clients");
    }

    private static SecurityCheck CheckImapCompress(ServerConfiguration configuration) =>
        configuration.Raw.GetValue("Imap:Compress", false)
            ? new SecurityCheck("imap.compress", CheckStatus.Warn, "IMAP COMPRESS=DEFLATE is enabled (Imap:Compress)",
                "secrets and attacker-chosen text share one deflate context, so compressed sizes can leak the secrets (CRIME class)", "set Imap:Compress to false")
            : new SecurityCheck("imap.compress", CheckStatus.Pass, "IMAP COMPRESS=DEFLATE is off", "", "");

    private static SecurityCheck CheckAccess(ServerConfiguration configuration)
    {
        var access = configuration.Options.Access;
        if (access.Allow.Count > 0)
        {
            return new SecurityCheck("access.ip", CheckStatus.Pass, $"connections allowed only from {string.Join(", ", access.Allow)}", "", "");
        }

        // SECURITY.md's stance: users read mail from anywhere, so IMAP/POP3 stay open and AuthGuard (delays, per-session
        // limit, auto-ban, account throttle) is what makes that safe. Open is a finding only when that guard is weakened.
        var settings = Security.SecuritySettings.Bind(configuration);
        var weakened = settings.WeakenedDefaults();
        var g = settings.Guard;
        return weakened.Count == 0
            ? new SecurityCheck("access.ip", CheckStatus.Pass, $"IMAP and POP3 open to any address, behind AuthGuard at SECURITY.md's defaults ({g.MaxFailuresPerSession} failures per session, delays {g.FirstDelay.TotalSeconds:0} s → {g.MaxDelay.TotalSeconds:0} s, ban after {g.BanThreshold} failures in {g.FailureWindow.TotalMinutes:0} min for {g.BanDuration.TotalMinutes:0} min, account throttle)", "", "")
            : new SecurityCheck("access.ip", CheckStatus.Warn, "IMAP and POP3 open to any address while the brute-force defence is weakened (see guard.limits)",
                "the whole internet can guess passwords faster or for longer than SECURITY.md allows", "restore the Security:Guard defaults, or list the users' ranges in Access:Allow");
    }

    private static SecurityCheck CheckAdmin(ServerConfiguration configuration)
    {
        var admin = configuration.Listeners.First(l => l.Name == "admin");
        if (!admin.Enabled)
        {
            return new SecurityCheck("access.admin", CheckStatus.Pass, "admin listener is off", "", "");
        }

        return IPAddress.IsLoopback(admin.EndPoint.Address)
            ? new SecurityCheck("access.admin", CheckStatus.Pass, $"admin listener on loopback {admin.EndPoint}", "", "")
            : new SecurityCheck("access.admin", CheckStatus.Fail, $"admin listener on {admin.EndPoint}, reachable from the network",
                "metrics reveal accounts' activity and the server's shape to anyone who can reach it", "bind Listeners:admin:Endpoint to 127.0.0.1 and scrape through a tunnel");
    }

    private static SecurityCheck CheckAudit(MonitoringOptions monitoring) =>
        !monitoring.Enabled
            ? new SecurityCheck("audit.log", CheckStatus.Fail, "monitoring is off: no audit log, metrics or detectors", "attacks and admin actions leave no trail and raise no alert", "remove Monitoring:Enabled=false (meant for measuring its cost only)")
            : monitoring.Audit.Enabled
            ? new SecurityCheck("audit.log", CheckStatus.Pass, "audit log on, hash-chained (verify with `rampart audit verify`)", "", "")
            : new SecurityCheck("audit.log", CheckStatus.Fail, "audit log is off", "attacks and admin actions leave no trail", "remove Monitoring:Audit:Enabled=false");

    private static SecurityCheck CheckDetectors(MonitoringOptions monitoring)
    {
        var d = monitoring.Detectors;
        if (!d.Enabled)
        {
            return new SecurityCheck("monitoring.detectors", CheckStatus.Fail, "anomaly detectors are off", "brute force, exfiltration and stolen credentials go unnoticed", "remove Monitoring:Detectors:Enabled=false");
        }

        var off = new List<string>();
        if (d.MaxConnectionsPerIp <= 0 || d.MaxSessionsPerAccount <= 0)
        {
            off.Add("connection spikes");
        }

        if (d.FailedLoginsPerAccount <= 0 || d.FailedLoginsPerIp <= 0)
        {
            off.Add("failed-login bursts");
        }

        if (d.BandwidthBytesPerAccount <= 0)
        {
            off.Add("bandwidth");
        }

        if (d.NetworksPerAccount <= 0)
        {
            off.Add("many networks");
        }

        if (d.NewNetworkLookback <= TimeSpan.Zero)
        {
            off.Add("new network");
        }

        return off.Count == 0
            ? new SecurityCheck("monitoring.detectors", CheckStatus.Pass, "all anomaly detectors on", "", "")
            : new SecurityCheck("monitoring.detectors", CheckStatus.Warn, "detectors turned off: " + string.Join(", ", off), "those patterns go unnoticed", "set their Monitoring:Detectors thresholds above 0");
    }

    private static SecurityCheck CheckAlerts(MonitoringOptions monitoring, IReadOnlyCollection<string>? enabledAccounts)
    {
        var a = monitoring.Alerts;
        var users = a.NotifyUsers ? "; users get \"was this you?\" notices" : "";
        if (a.WebhookUrl is { Length: > 0 } url && url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !IsLoopbackUrl(url))
        {
            return new SecurityCheck("monitoring.alerts", CheckStatus.Warn, "webhook over plain http to a remote host", "alerts (account names, addresses) cross the network in clear", "use an https webhook URL");
        }

        // No store yet, or one without accounts: serve creates the first account on its first start.
        var accounts = enabledAccounts is { Count: > 0 } ? enabledAccounts : [Hosting.FirstAccount.Name];
        if (a.AdminAccount is { Length: > 0 } configured && !accounts.Contains(configured, StringComparer.OrdinalIgnoreCase))
        {
            return new SecurityCheck("monitoring.alerts", CheckStatus.Warn, $"Monitoring:Alerts:AdminAccount {configured} is not an enabled account: admin alert mail is not delivered",
                "an attack in progress is seen only by whoever reads the logs", $"create the account (`rampart user add {configured}`) or name an existing one");
        }

        var sinks = new List<string>();
        if (a.WebhookUrl is { Length: > 0 })
        {
            sinks.Add("webhook");
        }

        if (a.AdminAccount is { Length: > 0 } admin)
        {
            sinks.Add("admin mail to " + admin);
        }
        else if (a.DefaultAdminAccount is { Length: > 0 } fallback && accounts.Contains(fallback, StringComparer.OrdinalIgnoreCase))
        {
            sinks.Add($"admin mail to {fallback} (the administrator account serve creates on first start; Monitoring:Alerts:AdminAccount names another)");
        }

        return sinks.Count > 0
            ? new SecurityCheck("monitoring.alerts", CheckStatus.Pass, "alerts go to " + string.Join(" and ", sinks) + users, "", "")
            : new SecurityCheck("monitoring.alerts", CheckStatus.Warn, $"no alert sink for admins: no webhook, and no enabled account {a.DefaultAdminAccount} to mail (alerts are only in the audit and server logs){users}",
                "an attack in progress is seen only by whoever reads the logs", "set Monitoring:Alerts:WebhookUrl or Monitoring:Alerts:AdminAccount");
    }

    private static bool IsLoopbackUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip)));

    private static SecurityCheck CheckDataDirectory(string dataDirectory)
    {
        if (!Directory.Exists(dataDirectory))
        {
            return new SecurityCheck("data.permissions", CheckStatus.Pass, $"{dataDirectory} does not exist yet; it is created with mode 0700", "", "");
        }

        if (OperatingSystem.IsWindows())
        {
            return new SecurityCheck("data.permissions", CheckStatus.Warn, "permissions not checked on Windows", "", "restrict the data directory to the service account");
        }

        var loose = new List<string>();
        const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        if ((File.GetUnixFileMode(dataDirectory) & GroupOrOther) != 0)
        {
            loose.Add(dataDirectory);
        }

        foreach (var file in new[] { DataDirectory.SecretFileName, Path.Combine("tls", SelfSignedCertificate.KeyFileName) }.Select(f => Path.Combine(dataDirectory, f)).Where(File.Exists))
        {
            if ((File.GetUnixFileMode(file) & GroupOrOther) != 0)
            {
                loose.Add(file);
            }
        }

        return loose.Count == 0
            ? new SecurityCheck("data.permissions", CheckStatus.Pass, "data directory and secrets are readable by the owner only", "", "")
            : new SecurityCheck("data.permissions", CheckStatus.Fail, "readable by group or others: " + string.Join(", ", loose),
                "other local users can read mail, the server secret or the TLS key", "chmod 700 the data directory and 600 the key files");
    }
}
