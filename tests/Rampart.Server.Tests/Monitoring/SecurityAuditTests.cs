using System.Text.Json;
using Rampart.Server.Tests.Cli;

namespace Rampart.Server.Tests.Monitoring;

public sealed class SecurityAuditTests
{
    [Fact]
    public async Task Defaults_before_the_first_start_warn_only_that_no_certificate_exists_yet()
    {
        using var cli = new CliRunner();
        var result = await cli.RunAsync("security", "audit", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var checks = JsonDocument.Parse(result.Output).RootElement.EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("status").GetString()!);
        Assert.DoesNotContain("FAIL", checks.Values);
        Assert.Equal(["tls.certificate"], checks.Where(c => c.Value == "WARN").Select(c => c.Key));
        Assert.Equal("PASS", checks["access.ip"]);
        Assert.Equal("PASS", checks["monitoring.alerts"]);
        Assert.Equal("PASS", checks["accounts.2fa"]);
        Assert.Equal("PASS", checks["guard.limits"]);
        Assert.Equal("PASS", checks["passwords.policy"]);
        Assert.Equal("PASS", checks["listener.imaps"]);
        Assert.Equal("PASS", checks["listener.imap"]);
        Assert.Equal("PASS", checks["tls.versions"]);
        Assert.Equal("PASS", checks["imap.compress"]);
        Assert.Equal("PASS", checks["audit.log"]);
        Assert.Equal("PASS", checks["monitoring.detectors"]);
    }

    [Fact]
    public async Task A_weakened_configuration_fails_with_reasons()
    {
        using var cli = new CliRunner();
        var config = Path.Combine(Path.GetTempPath(), "rampart-weak-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(config, """
            {
              "Listeners": { "imap": { "Enabled": true }, "pop3": { "Enabled": true }, "admin": { "Enabled": true, "Endpoint": "0.0.0.0:9443" } },
              "Monitoring": { "Audit": { "Enabled": false }, "Detectors": { "Enabled": false }, "Alerts": { "WebhookUrl": "https://hooks.example/x" } },
              "Security": { "PasswordPolicy": "weak", "Guard": { "FirstDelay": "00:00:00.100" } }
            }
            """);
        try
        {
            var result = await cli.RunAsync("security", "audit", "--config", config);
            Assert.Equal(1, result.ExitCode);
            foreach (var id in new[] { "listener.imap ", "listener.pop3 ", "access.admin", "audit.log", "monitoring.detectors", "passwords.policy", "guard.limits" })
            {
                Assert.Contains(result.Output.Split('\n'), l => l.StartsWith("FAIL", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));
            }

            Assert.Contains("PASS  monitoring.alerts", result.Output, StringComparison.Ordinal);

            // Open IMAP/POP3 are the documented stance only behind the guard at its defaults.
            Assert.Contains("WARN  access.ip", result.Output, StringComparison.Ordinal);
            Assert.Contains("risk: the whole internet can guess passwords faster or for longer than SECURITY.md allows", result.Output, StringComparison.Ordinal);
            Assert.Contains("risk: a client that skips STARTTLS", result.Output, StringComparison.Ordinal);
            Assert.Contains("fix:  turn it off (Listeners:imap:Enabled=false)", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Theory]
    [InlineData("\"PasswordProfile\": \"nist\"", "PASS  passwords.policy password policy: nist")]
    [InlineData("\"PasswordProfile\": \"lax\"", "FAIL  passwords.policy unknown password policy profile 'lax'")]
    [InlineData("\"PasswordPolicy\": \"nist\"", "FAIL  passwords.policy Security:PasswordPolicy 'nist' is not a setting")]
    [InlineData("\"BreachedPasswordsDirectory\": \"/nonexistent/hibp\"", "FAIL  passwords.policy Security:BreachedPasswordsDirectory /nonexistent/hibp does not exist")]
    [InlineData("\"Guard\": { \"BanThreshold\": 500 }", "FAIL  guard.limits weakened: Security:Guard:BanThreshold 500")]
    [InlineData("\"LegacyMechanisms\": true", "FAIL  guard.limits weakened: Security:LegacyMechanisms true")]
    [InlineData("\"Ignored\": 1 }, \"Monitoring\": { \"Enabled\": false", "FAIL  audit.log monitoring is off")]
    public async Task Password_policy_and_guard_settings_are_read_from_the_keys_serve_uses(string setting, string expected)
    {
        using var cli = new CliRunner();
        var config = Path.Combine(Path.GetTempPath(), "rampart-policy-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(config, "{ \"Security\": { " + setting + " } }");
        try
        {
            var result = await cli.RunAsync("security", "audit", "--config", config);
            Assert.Equal(expected.StartsWith("FAIL", StringComparison.Ordinal) ? 1 : 0, result.ExitCode);
            Assert.Contains(result.Output.Split('\n'), l => Collapse(l).StartsWith(expected, StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Accounts_without_a_second_factor_are_named_in_a_warning()
    {
        using var cli = new CliRunner();
        foreach (var name in new[] { "ann", "ben", "cid" })
        {
            var add = await cli.RunWithInputAsync("Correct-Horse-Battery-9\n", "user", "add", name, "--password-stdin");
            Assert.True(add.ExitCode == 0, add.ToString());
        }

        Assert.Contains("WARN  accounts.2fa 3 of 3 accounts without a second factor: ann, ben, cid", Collapse((await cli.RunAsync("security", "audit")).Output), StringComparison.Ordinal);

        await EnableTwoFactorAsync(cli.DataPath, "ann");
        await EnableTwoFactorAsync(cli.DataPath, "cid");
        Assert.Contains("WARN  accounts.2fa 1 of 3 accounts without a second factor: ben", Collapse((await cli.RunAsync("security", "audit")).Output), StringComparison.Ordinal);

        await EnableTwoFactorAsync(cli.DataPath, "ben");
        var all = await cli.RunAsync("security", "audit");
        Assert.Contains("PASS  accounts.2fa all 3 accounts have a second factor", Collapse(all.Output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_alert_mail_warns_when_there_is_no_enabled_account_to_deliver_to()
    {
        using var cli = new CliRunner();

        // Accounts added before the first start: serve will not create its administrator account.
        var add = await cli.RunWithInputAsync("Correct-Horse-Battery-9\n", "user", "add", "alice", "--password-stdin");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Contains("WARN  monitoring.alerts no alert sink for admins: no webhook, and no enabled account admin to mail", Collapse((await cli.RunAsync("security", "audit")).Output), StringComparison.Ordinal);

        var config = Path.Combine(Path.GetTempPath(), "rampart-alerts-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            await File.WriteAllTextAsync(config, "{ \"Monitoring\": { \"Alerts\": { \"AdminAccount\": \"ghost\" } } }");
            Assert.Contains("WARN  monitoring.alerts Monitoring:Alerts:AdminAccount ghost is not an enabled account", Collapse((await cli.RunAsync("security", "audit", "--config", config)).Output), StringComparison.Ordinal);
            await File.WriteAllTextAsync(config, "{ \"Monitoring\": { \"Alerts\": { \"AdminAccount\": \"alice\" } } }");
            Assert.Contains("PASS  monitoring.alerts alerts go to admin mail to alice", Collapse((await cli.RunAsync("security", "audit", "--config", config)).Output), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task A_configured_certificate_passes_only_with_its_own_key_and_the_servers_name()
    {
        using var cli = new CliRunner();
        using var ca = new TestCertificateAuthority("mail.test");
        using var other = new TestCertificateAuthority("other.test");
        var config = Path.Combine(Path.GetTempPath(), "rampart-cert-" + Guid.NewGuid().ToString("N") + ".json");
        async Task<string> AuditAsync(string hostName, string certificate, string key)
        {
            await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { HostName = hostName, Tls = new { CertificatePath = certificate, KeyPath = key } }));
            return Collapse((await cli.RunAsync("security", "audit", "--config", config)).Output);
        }

        try
        {
            Assert.Contains("PASS  tls.certificate " + ca.CertificatePath + ": issued by CN=Rampart Test CA", await AuditAsync("mail.test", ca.CertificatePath, ca.KeyPath), StringComparison.Ordinal);
            Assert.Contains("WARN  tls.certificate " + ca.CertificatePath + " does not name imap.example", await AuditAsync("imap.example", ca.CertificatePath, ca.KeyPath), StringComparison.Ordinal);
            Assert.Contains("FAIL  tls.certificate " + ca.CertificatePath + " cannot be read", await AuditAsync("mail.test", ca.CertificatePath, other.KeyPath), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    /// <summary>The audit's text with the id column's padding reduced to one space.</summary>
    private static string Collapse(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"(?m)^(PASS|WARN|FAIL)  (\S+) +", "$1  $2 ");

    /// <summary>Enrolls TOTP through the real service over the data directory, playing the authenticator app.</summary>
    private static async Task EnableTwoFactorAsync(string dataPath, string account)
    {
        var data = Rampart.Server.Configuration.DataDirectory.OpenExisting(dataPath);
        await using var store = await Rampart.Store.Sqlite.SqliteMailStore.OpenAsync(new Rampart.Store.Sqlite.SqliteStoreOptions { DataDirectory = dataPath });
        using var security = new Rampart.Server.Security.SecurityServices(data, store, data.ReadOrCreateSecret(), new Rampart.Server.Security.SecuritySettings());
        var enrollment = await security.TwoFactor.BeginEnrollmentAsync(account, "Rampart", default);
        var code = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(enrollment.Base32Seed)).ComputeTotp();
        Assert.NotNull(await security.TwoFactor.CompleteEnrollmentAsync(account, code, default));
    }

    [Fact]
    public async Task Imap_compress_enabled_by_environment_warns()
    {
        var data = Path.Combine(Path.GetTempPath(), "rampart-audit-" + Guid.NewGuid().ToString("N"));
        using var process = RampartProcess.StartRaw(["security", "audit", "--data", data], new Dictionary<string, string> { ["RAMPART__Imap__Compress"] = "true" });
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Contains(output.Split('\n'), l => l.StartsWith("WARN  imap.compress ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_imap_listener_enabled_by_environment_fails()
    {
        var data = Path.Combine(Path.GetTempPath(), "rampart-audit-" + Guid.NewGuid().ToString("N"));
        using var process = RampartProcess.StartRaw(["security", "audit", "--data", data], new Dictionary<string, string> { ["RAMPART__Listeners__imap__Enabled"] = "true" });
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(1, process.ExitCode);
        Assert.Contains(output.Split('\n'), l => l.StartsWith("FAIL  listener.imap ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Audit_verify_without_a_data_directory_fails_clearly()
    {
        using var cli = new CliRunner();
        var result = await cli.RunAsync("audit", "verify");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
    }
}
