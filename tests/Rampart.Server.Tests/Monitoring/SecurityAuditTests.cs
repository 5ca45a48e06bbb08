using System.Text.Json;
using Rampart.Server.Tests.Cli;

namespace Rampart.Server.Tests.Monitoring;

public sealed class SecurityAuditTests
{
    [Fact]
    public async Task Defaults_pass_with_the_documented_warnings()
    {
        using var cli = new CliRunner();
        var result = await cli.RunAsync("security", "audit", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var checks = JsonDocument.Parse(result.Output).RootElement.EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("status").GetString()!);
        Assert.DoesNotContain("FAIL", checks.Values);
        Assert.Equal(["access.ip", "accounts.2fa", "monitoring.alerts", "tls.certificate"], checks.Where(c => c.Value == "WARN").Select(c => c.Key).Order());
        Assert.Equal("PASS", checks["listener.imaps"]);
        Assert.Equal("PASS", checks["listener.imap"]);
        Assert.Equal("PASS", checks["tls.versions"]);
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
              "Security": { "PasswordPolicy": "weak" }
            }
            """);
        try
        {
            var result = await cli.RunAsync("security", "audit", "--config", config);
            Assert.Equal(1, result.ExitCode);
            foreach (var id in new[] { "listener.imap ", "listener.pop3 ", "access.admin", "audit.log", "monitoring.detectors", "passwords.policy" })
            {
                Assert.Contains(result.Output.Split('\n'), l => l.StartsWith("FAIL", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));
            }

            Assert.Contains("PASS  monitoring.alerts", result.Output, StringComparison.Ordinal);
            Assert.Contains("risk: a client that skips STARTTLS", result.Output, StringComparison.Ordinal);
            Assert.Contains("fix:  turn it off (Listeners:imap:Enabled=false)", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
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
