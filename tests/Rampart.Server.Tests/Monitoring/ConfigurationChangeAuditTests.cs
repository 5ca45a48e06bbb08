using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Rampart.Net.Tls;
using Rampart.Server.Tests.Support;

namespace Rampart.Server.Tests.Monitoring;

/// <summary>Issue 7 / SECURITY.md L03: configuration changes after startup are audited — a certificate reloaded from its
/// PEM files, and bans and access rules changed by the CLI (another process) while the server runs.</summary>
public sealed class ConfigurationChangeAuditTests : IDisposable
{
    private readonly RunningServer server = new("config-audit");

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task Certificate_reload_and_cli_ban_and_access_changes_are_config_change_events()
    {
        await server.CliAsync("Correct-Horse-Battery-9\n", "user", "add", "alice", "--password-stdin");
        server.Start(new Dictionary<string, string> { ["Tls__ReloadCheckInterval"] = "00:00:01" });

        // Replace the generated certificate's files with another certificate; the server picks it up without restart.
        SelfSignedCertificate.EnsureExists(Path.Combine(server.Data, "tls"), "mail.test", out var certificatePath, out var keyPath);
        var fresh = Path.Combine(server.Data, "fresh-cert");
        SelfSignedCertificate.EnsureExists(fresh, "mail.test", out var freshCertificate, out var freshKey);
        var expected = X509Certificate2.CreateFromPem(File.ReadAllText(freshCertificate)).Thumbprint;
        File.Copy(freshKey, keyPath, overwrite: true);
        File.Copy(freshCertificate, certificatePath, overwrite: true);
        string? served = null;
        for (var i = 0; i < 100 && served != expected; i++)
        {
            await Task.Delay(200);
            served = await ServedThumbprintAsync(server.Imaps);
        }

        Assert.Equal(expected, served);

        await server.CliAsync(string.Empty, "ban", "add", "198.51.100.7", "--reason", "test");
        await server.CliAsync(string.Empty, "ban", "remove", "198.51.100.7");
        await server.CliAsync(string.Empty, "access", "deny", "203.0.113.0/24");
        await server.CliAsync(string.Empty, "access", "deny", "192.0.2.0/24", "--user", "alice");

        await server.StopAsync();
        var changes = server.AuditLines()
            .Where(l => RunningServer.Field(l, "kind") == "config.change")
            .Select(l => (Setting: RunningServer.Field(l, "setting"), Reason: RunningServer.Field(l, "reason")))
            .ToList();
        Assert.Equal("startup", changes[0].Setting);
        Assert.Contains(changes, c => c.Setting == "Tls:Certificates");
        Assert.Contains(changes, c => c.Setting == "Guard:Bans" && c.Reason!.StartsWith("ban 198.51.100.7/32 until ", StringComparison.Ordinal));
        Assert.Contains(changes, c => c.Setting == "Guard:Bans" && c.Reason == "unban 198.51.100.7/32");
        Assert.Contains(changes, c => c.Setting == "Guard:Access" && c.Reason == "deny 203.0.113.0/24 (server-wide)");
        Assert.Contains(changes, c => c.Setting == "Account:Access" && c.Reason == "deny 192.0.2.0/24 (alice)");
    }

    [Fact]
    public async Task The_control_channel_refuses_a_change_notice_for_an_unknown_setting()
    {
        server.Start();
        var answer = await Rampart.Server.Monitoring.ControlClient.SendAsync(server.Data, "CHANGED Tls:Anything injected", default);
        Assert.Equal(["ERR unknown setting"], answer);
        await server.StopAsync();
        Assert.DoesNotContain(server.AuditLines(), l => RunningServer.Field(l, "setting") == "Tls:Anything");
    }

    private static async Task<string?> ServedThumbprintAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "mail.test", ApplicationProtocols = [new SslApplicationProtocol("imap")] });
        return tls.RemoteCertificate is { } certificate ? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()).Thumbprint : null;
    }
}
