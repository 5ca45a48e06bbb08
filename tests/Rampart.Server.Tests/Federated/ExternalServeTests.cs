using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Rampart.Testing.External;

namespace Rampart.Server.Tests.Federated;

/// <summary>SECURITY.md A08 over the real server: TLS client certificates from a CA made in the test, presented in the
/// IMAPS handshake, and AUTHENTICATE EXTERNAL. A trusted certificate logs in the account of its email SAN; untrusted,
/// expired, revoked (CRL) and mapped-to-someone-else certificates get the one generic failure; nothing happens without
/// the client asking (no PREAUTH).</summary>
public sealed class ExternalServeTests : IDisposable
{
    private const string Password = "Correct-Horse-Battery-9";
    private readonly TestCertificateAuthority _ca = new();
    private readonly TestCertificateAuthority _stranger = new("Stranger CA");
    private readonly FederatedServer _server = new("external");

    [Fact]
    public async Task Imap_external_logs_in_with_a_trusted_certificate_and_refuses_the_others_generically()
    {
        await _server.CliAsync(Password + "\n", "user", "add", "alice", "--address", "alice@example.test", "--password-stdin");
        await _server.CliAsync(Password + "\n", "user", "add", "bob", "--address", "bob@example.test", "--password-stdin");
        using var good = _ca.Issue("alice@example.test");
        using var bob = _ca.Issue("bob@example.test");
        using var expired = _ca.Issue("alice@example.test", notBefore: DateTimeOffset.UtcNow.AddDays(-30), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        using var revoked = _ca.Issue("alice@example.test");
        using var untrusted = _stranger.Issue("alice@example.test");
        _ca.Revoke(revoked);
        Directory.CreateDirectory(_server.Data);
        var caFile = Path.Combine(_server.Data, "client-ca.pem");
        var crlFile = Path.Combine(_server.Data, "client-ca.crl");
        await File.WriteAllTextAsync(caFile, _ca.Pem());
        await File.WriteAllTextAsync(crlFile, _ca.CrlPem());
        _server.Start(new Dictionary<string, string>
        {
            ["Listeners__imaps__ClientCertificates__Mode"] = "optional",
            ["Listeners__imaps__ClientCertificates__CaFile"] = caFile,
            ["Listeners__imaps__ClientCertificates__CrlFile"] = crlFile,
            ["Listeners__imaps__ClientCertificates__AccountFrom"] = "email",
        });

        await using (var imap = await ImapLine.ConnectAsync(_server.Imaps, good))
        {
            // Never PREAUTH: a certificate alone does not log in.
            Assert.StartsWith("* OK", await imap.ReadLineAsync(), StringComparison.Ordinal);
            Assert.Contains("AUTH=EXTERNAL", await imap.CommandAsync("a0 CAPABILITY"), StringComparison.Ordinal);
            Assert.StartsWith("a1 OK", await imap.CommandAsync("a1 AUTHENTICATE EXTERNAL ="), StringComparison.Ordinal);
            Assert.Contains("\na2 OK", await imap.CommandAsync("a2 SELECT INBOX"), StringComparison.Ordinal);
        }

        // The authzid, when given, must be the certificate's own account.
        await using (var imap = await ImapLine.ConnectAsync(_server.Imaps, good))
        {
            await imap.ReadLineAsync();
            var authzid = Convert.ToBase64String("alice@example.test"u8.ToArray());
            Assert.StartsWith("b1 OK", await imap.CommandAsync("b1 AUTHENTICATE EXTERNAL " + authzid), StringComparison.Ordinal);
        }

        foreach (var (certificate, authzid) in new[] { (bob, "alice@example.test"), (expired, ""), (revoked, ""), (untrusted, "") })
        {
            await using var imap = await ImapLine.ConnectAsync(_server.Imaps, certificate);
            await imap.ReadLineAsync();
            var initial = authzid.Length == 0 ? "=" : Convert.ToBase64String(Encoding.UTF8.GetBytes(authzid));
            Assert.Equal("c1 NO [AUTHENTICATIONFAILED] Authentication failed", await imap.CommandAsync("c1 AUTHENTICATE EXTERNAL " + initial));
        }

        // Without a certificate EXTERNAL is not offered.
        await using (var imap = await ImapLine.ConnectAsync(_server.Imaps, null))
        {
            await imap.ReadLineAsync();
            Assert.DoesNotContain("AUTH=EXTERNAL", await imap.CommandAsync("d0 CAPABILITY"), StringComparison.Ordinal);
            Assert.StartsWith("d1 NO", await imap.CommandAsync("d1 AUTHENTICATE EXTERNAL ="), StringComparison.Ordinal);
        }

        await _server.StopAsync();
        var lines = _server.AuthLines();
        Assert.Equal(2, lines.Count(l => l is ("auth.success", "imap", _, "EXTERNAL", _)));
        Assert.Equal(4, lines.Count(l => l is ("auth.failure", "imap", _, "EXTERNAL", _)));
    }

    public void Dispose()
    {
        _server.Dispose();
        _ca.Dispose();
        _stranger.Dispose();
    }

    /// <summary>A line-based IMAP client over implicit TLS that presents <c>certificate</c> when asked.</summary>
    private sealed class ImapLine : IAsyncDisposable
    {
        private readonly TcpClient _tcp;
        private readonly SslStream _tls;
        private readonly StreamReader _reader;

        private ImapLine(TcpClient tcp, SslStream tls)
        {
            _tcp = tcp;
            _tls = tls;
            _reader = new StreamReader(tls, Encoding.ASCII);
        }

        public static async Task<ImapLine> ConnectAsync(int port, X509Certificate2? certificate)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", port);
            var tls = new SslStream(tcp.GetStream(), false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "mail.test",
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                ClientCertificates = certificate is null ? null : [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate!,
            });
            return new ImapLine(tcp, tls);
        }

        public Task<string?> ReadLineAsync() => _reader.ReadLineAsync();

        /// <summary>Sends a command; returns the untagged lines and the tagged reply, joined.</summary>
        public async Task<string> CommandAsync(string line)
        {
            await _tls.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
            var tag = line[..line.IndexOf(' ', StringComparison.Ordinal)];
            var seen = new StringBuilder();
            while (await _reader.ReadLineAsync() is { } reply)
            {
                if (reply.StartsWith(tag + " ", StringComparison.Ordinal))
                {
                    return seen.Length == 0 ? reply : seen + reply;
                }

                seen.Append(reply).Append('\n');
            }

            return seen.ToString();
        }

        public async ValueTask DisposeAsync()
        {
            _reader.Dispose();
            await _tls.DisposeAsync();
            _tcp.Dispose();
        }
    }
}
