using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using OtpNet;
using Rampart.Server.Tests.Support;

namespace Rampart.Server.Tests.Monitoring;

/// <summary>Issue 7, "<c>security audit</c> is all PASS on the defaults": a running <c>rampart serve</c> with default
/// settings and a CA-issued certificate (deployment input, not a setting) passes every line; the admin alert sink
/// that makes <c>monitoring.alerts</c> pass really mails the administrator account serve created.</summary>
public sealed partial class DefaultServerAuditTests : IDisposable
{
    private const string Password = "Correct-Horse-Battery-9";
    private readonly DefaultServe server = new("audit-defaults");
    private readonly TestCertificateAuthority ca = new(DefaultServe.HostName);

    public void Dispose()
    {
        server.Dispose();
        ca.Dispose();
    }

    [Fact]
    public async Task A_default_server_mails_admin_alerts_to_its_first_account_and_passes_every_audit_line()
    {
        server.Start(new Dictionary<string, string> { ["Tls__CertificatePath"] = ca.CertificatePath, ["Tls__KeyPath"] = ca.KeyPath });
        var add = await server.RunAsync(Password + "\n", "user", "add", "alice", "--password-stdin");
        Assert.True(add.ExitCode == 0, add.ToString());

        // A login from 127.0.0.1, then one from another /24: the new-network detector alerts, and with no
        // Monitoring:Alerts:AdminAccount set, the admin copy goes to the account serve created on first start.
        await LoginAsync("alice", Password, IPAddress.Loopback);
        await LoginAsync("alice", Password, IPAddress.Parse("127.0.9.1"));
        var alert = await WaitForMailAsync("admin", server.AdminPassword, "Rampart alert: alice logged in from a new network 127.0.9.0/24");
        Assert.Contains("Account:  alice", alert, StringComparison.Ordinal);
        Assert.Contains("From:     127.0.9.1", alert, StringComparison.Ordinal);

        // Accounts without a second factor are a real risk the audit names: the admin enrolls theirs, as it advises.
        await TwoFactorEnrollment.EnrollAsync("admin", server.Data, server.Environment);
        await TwoFactorEnrollment.EnrollAsync("alice", server.Data, server.Environment);

        var result = await server.RunAsync(string.Empty, "security", "audit", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var checks = JsonDocument.Parse(result.Output).RootElement.EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetString()!, c => (Status: c.GetProperty("status").GetString()!, Finding: c.GetProperty("finding").GetString()!));
        Assert.All(checks, c => Assert.True(c.Value.Status == "PASS", $"{c.Key}: {c.Value.Status} {c.Value.Finding}"));
        Assert.Contains("admin mail to admin", checks["monitoring.alerts"].Finding, StringComparison.Ordinal);
        Assert.Contains("behind AuthGuard at SECURITY.md's defaults", checks["access.ip"].Finding, StringComparison.Ordinal);
        Assert.Contains("issued by CN=Rampart Test CA", checks["tls.certificate"].Finding, StringComparison.Ordinal);
        Assert.Equal("PASS", checks["accounts.2fa"].Status);
        Assert.Equal("PASS", checks["listener.imaps"].Status);
        await server.StopAsync();
    }

    [Fact]
    public async Task The_generated_self_signed_certificate_warns_and_so_does_a_weakened_guard_on_open_ports()
    {
        // No certificate configured: serve generates a self-signed one in DATA/tls, a real risk the audit keeps naming.
        server.Start(new Dictionary<string, string> { ["Security__Guard__BanThreshold"] = "500" });
        var result = await server.RunAsync(string.Empty, "security", "audit", "--json");
        Assert.Equal(1, result.ExitCode);
        var checks = JsonDocument.Parse(result.Output).RootElement.EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetString()!, c => (Status: c.GetProperty("status").GetString()!, Finding: c.GetProperty("finding").GetString()!));
        Assert.True(checks["tls.certificate"].Status == "WARN", checks["tls.certificate"].Finding);
        Assert.StartsWith("self-signed certificate", checks["tls.certificate"].Finding, StringComparison.Ordinal);
        Assert.Equal(("WARN", "IMAP and POP3 open to any address while the brute-force defence is weakened (see guard.limits)"), checks["access.ip"]);
        Assert.Equal("FAIL", checks["guard.limits"].Status);
        Assert.Equal("WARN", checks["accounts.2fa"].Status);
        Assert.Equal("PASS", checks["monitoring.alerts"].Status);
        await server.StopAsync();
    }

    private async Task LoginAsync(string user, string password, IPAddress from)
    {
        using var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, LocalEndPoint = new IPEndPoint(from, 0) };
        await client.ConnectAsync("127.0.0.1", server.Imaps, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(user, password);
        await client.DisconnectAsync(true);
    }

    /// <summary>Polls the account's INBOX over IMAPS until a message with <paramref name="subject"/> arrives (alerts
    /// are delivered by a background loop); returns its text.</summary>
    private async Task<string> WaitForMailAsync(string user, string password, string subject)
    {
        using var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", server.Imaps, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(user, password);
        var seen = new List<string>();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            seen.Clear();
            for (var i = 0; i < client.Inbox.Count; i++)
            {
                var message = await client.Inbox.GetMessageAsync(i);
                seen.Add(message.Subject ?? "");
                if (message.Subject == subject)
                {
                    await client.DisconnectAsync(true);
                    return message.TextBody ?? "";
                }
            }

            await client.Inbox.CloseAsync();
            await Task.Delay(200);
        }

        throw new Xunit.Sdk.XunitException($"no '{subject}' in {user}'s INBOX; subjects: {string.Join(" | ", seen)}\n{server.Process.Errors}");
    }

}
