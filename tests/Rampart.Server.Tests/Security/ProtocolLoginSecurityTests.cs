using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Rampart.Server.Tests.Security;

/// <summary>IMAP and POP3 log in through account security over the real server: an app password (F01) works on both,
/// also through SASL PLAIN, a per-account deny rule (B04/I03) refuses the right password with the one generic failure
/// until the CLI lifts it, and every attempt is an
/// audit line without the secret (L01).</summary>
public sealed partial class ProtocolLoginSecurityTests : IDisposable
{
    private const string Password = "Correct-Horse-Battery-9";
    private readonly ServeFixture serve = new("wire");

    public void Dispose() => serve.Dispose();

    private Task<string> RunAsync(string input, params string[] args) => serve.CliAsync(input, args);

    [Fact]
    public async Task App_password_logs_in_over_imap_and_pop3_and_each_attempt_is_audited_without_the_secret()
    {
        await RunAsync(Password + "\n", "user", "add", "alice", "--password-stdin");
        await RunAsync(Password + "\n", "user", "add", "bob", "--password-stdin");
        var created = await RunAsync(string.Empty, "app-password", "create", "alice", "--label", "phone");
        var appPassword = AppPasswordPattern().Match(created);
        Assert.True(appPassword.Success, created);
        await RunAsync(string.Empty, "access", "deny", "127.0.0.1/32", "--user", "bob");

        serve.Start("imaps", "pop3s");
        var imaps = serve.Ports["imaps"];
        var pop3s = serve.Ports["pop3s"];

        await using (var imap = await Client.ConnectAsync(imaps, "imap"))
        {
            await imap.ReadLineAsync();
            Assert.StartsWith("a1 NO [AUTHENTICATIONFAILED] Authentication failed", await imap.CommandAsync("a1 LOGIN alice wrong-password-1"), StringComparison.Ordinal);
            Assert.StartsWith("a2 OK", await imap.CommandAsync($"a2 LOGIN alice {appPassword.Value}"), StringComparison.Ordinal);
        }

        // The right main password of an account whose rules deny this network: the same generic failure.
        await using (var imap = await Client.ConnectAsync(imaps, "imap"))
        {
            await imap.ReadLineAsync();
            Assert.Equal("b1 NO [AUTHENTICATIONFAILED] Authentication failed", await imap.CommandAsync($"b1 LOGIN bob {Password}"));
        }

        // Lifting the rule with the CLI (another process) lets the owner in again.
        await RunAsync(string.Empty, "access", "remove", "127.0.0.1/32", "--user", "bob");
        await using (var imap = await Client.ConnectAsync(imaps, "imap"))
        {
            await imap.ReadLineAsync();
            Assert.StartsWith("c1 OK", await imap.CommandAsync($"c1 LOGIN bob {Password}"), StringComparison.Ordinal);
        }

        // SASL PLAIN goes through the same check: the app password works there too.
        await using (var imap = await Client.ConnectAsync(imaps, "imap"))
        {
            await imap.ReadLineAsync();
            var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0alice\0" + appPassword.Value));
            Assert.StartsWith("d1 OK", await imap.CommandAsync("d1 AUTHENTICATE PLAIN " + plain), StringComparison.Ordinal);
        }

        await using (var pop3 = await Client.ConnectAsync(pop3s, "pop3"))
        {
            await pop3.ReadLineAsync();
            Assert.StartsWith("+OK", await pop3.CommandAsync("USER alice"), StringComparison.Ordinal);
            Assert.StartsWith("+OK", await pop3.CommandAsync("PASS " + appPassword.Value), StringComparison.Ordinal);
            Assert.StartsWith("+OK", await pop3.CommandAsync("QUIT"), StringComparison.Ordinal);
        }

        await serve.StopAsync();

        var text = await File.ReadAllTextAsync(serve.AuditPath);
        Assert.DoesNotContain(appPassword.Value, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-1", text, StringComparison.Ordinal);
        var auth = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(l => l.GetProperty("kind").GetString() is "auth.success" or "auth.failure")
            .Select(l => (Kind: l.GetProperty("kind").GetString(), Protocol: Field(l, "protocol"), User: Field(l, "user"), Mechanism: Field(l, "mechanism"), Reason: Field(l, "reason")))
            .ToList();
        Assert.Equal(
            [
                ("auth.failure", "imap", "alice", "LOGIN", "bad-credentials"),
                ("auth.success", "imap", "alice", "LOGIN", null),
                ("auth.failure", "imap", "bob", "LOGIN", "ip-rule"),
                ("auth.success", "imap", "bob", "LOGIN", null),
                ("auth.success", "imap", "alice", "PLAIN", null),
                ("auth.success", "pop3", "alice", "USER", null),
            ],
            auth);
    }

    private static string? Field(JsonElement line, string name) => line.TryGetProperty(name, out var value) ? value.GetString() : null;

    /// <summary>A line-based client over implicit TLS.</summary>
    private sealed class Client : IAsyncDisposable
    {
        private readonly TcpClient tcp;
        private readonly SslStream tls;
        private readonly StreamReader reader;

        private Client(TcpClient tcp, SslStream tls)
        {
            this.tcp = tcp;
            this.tls = tls;
            reader = new StreamReader(tls, Encoding.ASCII);
        }

        public static async Task<Client> ConnectAsync(int port, string alpn)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "mail.test", ApplicationProtocols = [new SslApplicationProtocol(alpn)] });
            return new Client(tcp, tls);
        }

        public async Task<string> ReadLineAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            return await reader.ReadLineAsync(timeout.Token) ?? throw new IOException("closed");
        }

        /// <summary>Sends a command and returns its final line (the tagged one for IMAP, skipping untagged).</summary>
        public async Task<string> CommandAsync(string line)
        {
            await tls.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
            await tls.FlushAsync();
            while (true)
            {
                var reply = await ReadLineAsync();
                if (!reply.StartsWith('*'))
                {
                    return reply;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            reader.Dispose();
            await tls.DisposeAsync();
            tcp.Dispose();
        }
    }

    [GeneratedRegex(@"\b[a-z2-9]{4}(-[a-z2-9]{4}){4}\b")]
    private static partial Regex AppPasswordPattern();
}
