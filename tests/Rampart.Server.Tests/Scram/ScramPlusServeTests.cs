using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rampart.Server.Tests.Scram;

/// <summary>
/// SCRAM-SHA-256-PLUS with <c>tls-server-end-point</c> channel binding (RFC 5929 §4, RFC 5802 §6, RFC 7677) over real
/// sessions of <c>rampart serve</c>, with a hand-written client that binds to the certificate it saw in the TLS
/// handshake: IMAP AUTHENTICATE, POP3 AUTH and SMTP submission AUTH over implicit TLS (SECURITY.md A05). Every failure
/// is the protocol's generic reply and counts in the guard.
/// </summary>
[Collection(DefaultScramServerCollection.Name)]
public sealed class ScramPlusServeTests(DefaultScramServer server)
{
    public static TheoryData<string> Protocols => new() { "imap", "pop3", "smtp" };

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Plus_bound_to_the_server_certificate_logs_in_and_the_server_proves_itself(string protocol)
    {
        await using var wire = await SaslWire.ConnectAsync(protocol, server.Port(protocol));
        Assert.Contains("SCRAM-SHA-256-PLUS", wire.Capabilities, StringComparison.Ordinal);
        var client = new ScramClient(HashAlgorithmName.SHA256, "alice", ScramServer.Password);
        var binding = SaslWire.ServerEndPoint(wire.ServerCertificate);

        var outcome = await wire.ExchangeAsync("SCRAM-SHA-256-PLUS", client.First("p=tls-server-end-point,,"), s => client.Final(s, binding), client.Verifies);

        Assert.True(outcome.Success, outcome.FinalLine);
        Assert.True(outcome.ServerVerified);
        var after = await wire.AfterLoginAsync();
        Assert.Matches(protocol switch { "imap" => "s1 OK", "pop3" => @"^\+OK", _ => "^250 " }, after);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Flag_y_while_plus_is_offered_fails_as_a_downgrade(string protocol)
    {
        // RFC 5802 §6: "y" says the client could bind but believes the server cannot; this server offered -PLUS, so
        // something stripped it. The password is right: only the flag makes it fail.
        await using var wire = await SaslWire.ConnectAsync(protocol, server.Port(protocol));
        var client = new ScramClient(HashAlgorithmName.SHA256, "alice", ScramServer.Password);

        var outcome = await wire.ExchangeAsync("SCRAM-SHA-256", client.First("y,,"), s => client.Final(s, []), client.Verifies);

        Assert.False(outcome.Success);
        Assert.Contains(wire.GenericFailure, outcome.FinalLine, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task A_binding_to_another_certificate_fails(string protocol)
    {
        // What a client talking to a man in the middle computes: the hash of the certificate it was shown instead.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = new CertificateRequest("CN=mail.test", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await using var wire = await SaslWire.ConnectAsync(protocol, server.Port(protocol));
        var client = new ScramClient(HashAlgorithmName.SHA256, "alice", ScramServer.Password);
        var wrong = SaslWire.ServerEndPoint(other);
        Assert.NotEqual(SaslWire.ServerEndPoint(wire.ServerCertificate), wrong);

        var outcome = await wire.ExchangeAsync("SCRAM-SHA-256-PLUS", client.First("p=tls-server-end-point,,"), s => client.Final(s, wrong), client.Verifies);

        Assert.False(outcome.Success);
        Assert.False(outcome.ServerVerified);
        Assert.Contains(wire.GenericFailure, outcome.FinalLine, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Flag_n_with_plain_scram_sha_256_logs_in(string protocol)
    {
        // RFC 5802 §6: "n" is a client that cannot bind at all; that is no downgrade, and plain SCRAM-SHA-256 succeeds.
        await using var wire = await SaslWire.ConnectAsync(protocol, server.Port(protocol));
        var client = new ScramClient(HashAlgorithmName.SHA256, "alice", ScramServer.Password);

        var outcome = await wire.ExchangeAsync("SCRAM-SHA-256", client.First("n,,"), s => client.Final(s, []), client.Verifies);

        Assert.True(outcome.Success, outcome.FinalLine);
        Assert.True(outcome.ServerVerified);
    }

    [Fact]
    public async Task Binding_types_other_than_tls_server_end_point_and_p_on_the_plain_mechanism_fail()
    {
        // tls-unique (what libsasl sends) and tls-exporter are not available: .NET exposes neither.
        foreach (var (mechanism, header) in new[]
        {
            ("SCRAM-SHA-256-PLUS", "p=tls-unique,,"),
            ("SCRAM-SHA-256-PLUS", "p=tls-exporter,,"),
            ("SCRAM-SHA-256", "p=tls-server-end-point,,"),
            ("SCRAM-SHA-256-PLUS", "n,,"),
        })
        {
            await using var wire = await SaslWire.ConnectAsync("imap", server.Port("imap"));
            var client = new ScramClient(HashAlgorithmName.SHA256, "alice", ScramServer.Password);
            var binding = SaslWire.ServerEndPoint(wire.ServerCertificate);
            var outcome = await wire.ExchangeAsync(mechanism, client.First(header), s => client.Final(s, binding), client.Verifies);
            Assert.False(outcome.Success, mechanism + " " + header);
            Assert.Contains(wire.GenericFailure, outcome.FinalLine, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Channel_binding_failures_count_in_the_guard_until_the_session_is_closed()
    {
        await using var wire = await SaslWire.ConnectAsync("imap", server.Port("imap"));
        var wrong = new byte[32];
        var failures = 0;
        string? last = "";
        for (var attempt = 0; attempt < 6 && last is not null; attempt++)
        {
            var client = new ScramClient(HashAlgorithmName.SHA256, "alice", ScramServer.Password);
            var outcome = await wire.ExchangeAsync("SCRAM-SHA-256-PLUS", client.First("p=tls-server-end-point,,"), s => client.Final(s, wrong), client.Verifies);
            Assert.False(outcome.Success);
            last = outcome.FinalLine;
            if (last?.Contains("NO [AUTHENTICATIONFAILED]", StringComparison.Ordinal) == true)
            {
                failures++;
            }
        }

        // SECURITY.md B01: the guard ends the session after its per-session failure limit (3 by default), so the
        // sixth attempt is never answered.
        Assert.Null(last);
        Assert.InRange(failures, 3, 4);

        // Each one is an audit line with the mechanism, like any failed password. The audit writer runs behind the
        // session, so the lines may land a moment after the replies.
        var lines = 0;
        for (var wait = 0; wait < 100 && lines < failures; wait++)
        {
            await Task.Delay(100);
            lines = server.AuthLines().Count(l => l.Kind == "auth.failure" && l.Mechanism == "SCRAM-SHA-256-PLUS" && l.User == "alice");
        }

        Assert.True(lines >= failures, $"{lines} audit lines for {failures} failures");
    }

    [Fact]
    public async Task Scram_sha_1_is_not_offered_by_default()
    {
        foreach (var protocol in new[] { "imap", "pop3", "smtp" })
        {
            await using var wire = await SaslWire.ConnectAsync(protocol, server.Port(protocol));
            Assert.Contains("SCRAM-SHA-256", wire.Capabilities, StringComparison.Ordinal);
            Assert.DoesNotContain("SCRAM-SHA-1", wire.Capabilities, StringComparison.Ordinal);

            var client = new ScramClient(HashAlgorithmName.SHA1, "alice", ScramServer.Password);
            var outcome = await wire.ExchangeAsync("SCRAM-SHA-1", client.First("n,,"), s => client.Final(s, []), client.Verifies);
            Assert.False(outcome.Success, outcome.FinalLine);
        }
    }
}
