using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Rampart.Net.Options;
using Rampart.Net.Tests.TestSupport;
using Rampart.Net.Tls;

namespace Rampart.Net.Tests.Tls;

public sealed class TlsHandshakeTests : IDisposable
{
    private readonly TestCertificates _files = new();

    public void Dispose() => _files.Dispose();

    // T01: plaintext on an implicit-TLS port is never answered in plaintext.
    [Fact]
    public async Task Plaintext_on_implicit_tls_port_gets_no_plaintext_answer()
    {
        await using var server = TestServer.Start(_files);
        using var tcp = await server.ConnectAsync();
        var stream = tcp.GetStream();
        await TestServer.WriteAsync(stream, "a1 CAPABILITY\r\n");
        var received = await TestServer.ReadToCloseAsync(stream);
        var text = System.Text.Encoding.ASCII.GetString(received);
        Assert.DoesNotContain("OK", text, StringComparison.Ordinal);
        Assert.DoesNotContain("a1", text, StringComparison.Ordinal);
        // Anything that did arrive can only be a TLS alert record (content type 21), never protocol text.
        Assert.True(received.Length == 0 || received[0] == 21, $"unexpected bytes: {Convert.ToHexString(received)}");
        Assert.Empty(server.Handler.Received);
        Assert.NotEmpty(server.Observer.TlsFailures);
    }

    // T02: TLS 1.2 and 1.3 clients succeed, and the session works.
    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task Tls12_and_tls13_clients_succeed(SslProtocols protocol)
    {
        await using var server = TestServer.Start(_files);
        var (tcp, ssl) = await server.ConnectTlsAsync(protocols: protocol);
        using (tcp)
        await using (ssl)
        {
            Assert.Equal(protocol, ssl.SslProtocol);
            Assert.Equal("* OK ready", await TestServer.ReadLineAsync(ssl));
            await TestServer.WriteAsync(ssl, "a1 NOOP\r\n");
            Assert.Equal("OK a1 NOOP", await TestServer.ReadLineAsync(ssl));
            // T03: whatever was negotiated is in the allowed list.
            Assert.True(TlsPolicy.IsAllowed(ssl.NegotiatedCipherSuite), ssl.NegotiatedCipherSuite.ToString());
        }
    }

    // T02: TLS 1.0 and 1.1 are refused. .NET's own client will not offer them on this OpenSSL, so the
    // openssl command-line client is told to (security level 0 lets it send the old hello).
    [Theory]
    [InlineData("-tls1")]
    [InlineData("-tls1_1")]
    public async Task Tls10_and_tls11_are_refused(string version)
    {
        Assert.True(OpenSslClient.IsAvailable, "openssl is part of the test environment");
        await using var server = TestServer.Start(_files);
        var (exit, output) = await OpenSslClient.RunAsync(server.Port, version, "-cipher", "DEFAULT:@SECLEVEL=0", "-servername", "localhost");
        Assert.NotEqual(0, exit);
        Assert.False(OpenSslClient.Negotiated(output), output);
        // Proof that the client did try: the server answered with an alert, so the refusal is the server's.
        Assert.Contains("alert", output, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(server.Handler.Received);
    }

    [Fact]
    public async Task Openssl_tls12_client_with_an_ecdhe_aead_suite_succeeds()
    {
        await using var server = TestServer.Start(_files);
        var (exit, output) = await OpenSslClient.RunAsync(server.Port, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256");
        Assert.True(OpenSslClient.Negotiated(output), output);
        Assert.Contains("ECDHE-ECDSA-AES128-GCM-SHA256", output, StringComparison.Ordinal);
        // T04: no TLS compression (CRIME).
        Assert.Contains("Compression: NONE", output, StringComparison.Ordinal);
        Assert.Equal(0, exit);
    }

    // T03: CBC suites and suites without ECDHE are refused in TLS 1.2.
    [Theory]
    [InlineData("ECDHE-ECDSA-AES128-SHA")]
    [InlineData("ECDHE-RSA-AES128-SHA")]
    [InlineData("AES128-GCM-SHA256")]
    [InlineData("AES128-SHA")]
    [InlineData("DHE-RSA-AES128-GCM-SHA256")]
    public async Task Tls12_client_offering_only_weak_suites_is_refused(string suite)
    {
        await using var server = TestServer.Start(_files, tls: o => { });
        var (exit, output) = await OpenSslClient.RunAsync(server.Port, "-tls1_2", "-cipher", suite + ":@SECLEVEL=0");
        Assert.NotEqual(0, exit);
        Assert.False(OpenSslClient.Negotiated(output), output);
    }

    // T03 with an RSA certificate: ECDHE-RSA with AES-GCM works; plain RSA key exchange does not.
    [Fact]
    public async Task Rsa_certificate_serves_ecdhe_rsa_but_not_rsa_key_exchange()
    {
        var (certificatePath, keyPath) = _files.WriteRsa("localhost", "rsa");
        await using var server = TestServer.Start(_files, tls: o =>
        {
            o.CertificatePath = certificatePath;
            o.KeyPath = keyPath;
        });
        var good = await OpenSslClient.RunAsync(server.Port, "-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384");
        Assert.True(OpenSslClient.Negotiated(good.Output), good.Output);
        var bad = await OpenSslClient.RunAsync(server.Port, "-tls1_2", "-cipher", "AES256-GCM-SHA384:@SECLEVEL=0");
        Assert.False(OpenSslClient.Negotiated(bad.Output), bad.Output);
    }

    // T05: SNI picks the certificate; an unknown name or no name gets the default.
    [Fact]
    public async Task Sni_selects_the_certificate()
    {
        var main = _files.WriteEcdsa("default.test");
        var mail = _files.WriteEcdsa("mail.example.test");
        var wildcard = _files.WriteEcdsa("wild.other.test");
        await using var server = TestServer.Start(_files, tls: o =>
        {
            o.CertificatePath = main.CertificatePath;
            o.KeyPath = main.KeyPath;
            o.SniCertificates.Add(new SniCertificateOptions { HostName = "mail.example.test", CertificatePath = mail.CertificatePath, KeyPath = mail.KeyPath });
            o.SniCertificates.Add(new SniCertificateOptions { HostName = "*.other.test", CertificatePath = wildcard.CertificatePath, KeyPath = wildcard.KeyPath });
        });

        Assert.Equal("CN=mail.example.test", await SubjectFor(server, "mail.example.test"));
        Assert.Equal("CN=mail.example.test", await SubjectFor(server, "MAIL.Example.Test"));
        Assert.Equal("CN=wild.other.test", await SubjectFor(server, "imap.other.test"));
        Assert.Equal("CN=default.test", await SubjectFor(server, "a.b.other.test"));
        Assert.Equal("CN=default.test", await SubjectFor(server, "unknown.test"));
        Assert.Equal("CN=default.test", await SubjectFor(server, null));
    }

    private static async Task<string> SubjectFor(TestServer server, string? name)
    {
        var (tcp, ssl) = await server.ConnectTlsAsync(serverName: name);
        using (tcp)
        await using (ssl)
        {
            return new X509Certificate2(ssl.RemoteCertificate!).Subject;
        }
    }

    // T06: a client offering only a foreign ALPN id is refused; "imap" or no ALPN is accepted.
    [Fact]
    public async Task Foreign_alpn_is_refused()
    {
        await using var server = TestServer.Start(_files, alpn: "imap");
        await Assert.ThrowsAnyAsync<Exception>(async () => await server.ConnectTlsAsync(alpn: ["http/1.1"]));

        var (tcp, ssl) = await server.ConnectTlsAsync(alpn: ["http/1.1", "imap"]);
        using (tcp)
        await using (ssl)
        {
            Assert.Equal("imap", ssl.NegotiatedApplicationProtocol.ToString());
            Assert.Equal("* OK ready", await TestServer.ReadLineAsync(ssl));
        }

        var (tcp2, ssl2) = await server.ConnectTlsAsync();
        using (tcp2)
        await using (ssl2)
        {
            Assert.Equal("* OK ready", await TestServer.ReadLineAsync(ssl2));
        }

        Assert.Single(server.Handler.Connections, c => c.ApplicationProtocol == "imap");
    }

    [Fact]
    public async Task Openssl_foreign_alpn_gets_no_application_protocol_alert()
    {
        await using var server = TestServer.Start(_files, alpn: "imap");
        var (_, output) = await OpenSslClient.RunAsync(server.Port, "-alpn", "http/1.1");
        Assert.False(OpenSslClient.Negotiated(output), output);
        Assert.Contains("no application protocol", output, StringComparison.OrdinalIgnoreCase);
    }

    // T04: renegotiation is off in the options every handshake uses.
    [Fact]
    public void Policy_disallows_renegotiation_and_old_protocols()
    {
        var (certificatePath, keyPath) = _files.WriteEcdsa("localhost");
        using var store = new CertificateStore(new TlsOptions { CertificatePath = certificatePath, KeyPath = keyPath }, _files.Directory, "localhost", Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var options = TlsPolicy.CreateServerOptions(store.Default, "imap", requestClientCertificate: false);
        Assert.False(options.AllowRenegotiation);
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, options.EnabledSslProtocols);
        Assert.NotNull(options.CipherSuitesPolicy);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(TlsPolicy.AllowedCipherSuites.Order(), options.CipherSuitesPolicy!.AllowedCipherSuites.Order());
        }
    }

    [Fact]
    public async Task Connection_reports_tls_facts_and_channel_binding()
    {
        await using var server = TestServer.Start(_files);
        var (tcp, ssl) = await server.ConnectTlsAsync(serverName: "localhost", protocols: SslProtocols.Tls13);
        using (tcp)
        await using (ssl)
        {
            Assert.Equal("* OK ready", await TestServer.ReadLineAsync(ssl));
            var connection = Assert.Single(server.Handler.Connections);
            Assert.True(connection.IsTls);
            Assert.Equal(SslProtocols.Tls13, connection.TlsProtocol);
            Assert.Equal(ssl.NegotiatedCipherSuite, connection.CipherSuite);
            Assert.Equal("localhost", connection.ServerName);
            Assert.Equal(12, connection.Id.Length);
            var serverCertificate = new X509Certificate2(ssl.RemoteCertificate!);
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(serverCertificate.RawData), connection.ChannelBindingServerEndPoint);
        }
    }
}
