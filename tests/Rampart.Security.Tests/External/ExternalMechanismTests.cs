using System.Security.Cryptography.X509Certificates;
using System.Text;
using Rampart.Net.Options;
using Rampart.Security.Sasl;
using Rampart.Security.Sasl.External;
using Rampart.Security.Tests.Support;
using Rampart.Testing.External;

namespace Rampart.Security.Tests.External;

/// <summary>SASL EXTERNAL over TLS client certificates (RFC 4422 Appendix A); SECURITY.md A08.</summary>
public sealed class ExternalMechanismTests : IDisposable
{
    private readonly TestCertificateAuthority _ca = new();
    private readonly TestCertificateAuthority _stranger = new("Stranger CA");
    private readonly string _directory = Directory.CreateTempSubdirectory("rampart-external-").FullName;
    private readonly InMemoryCredentialSource _source = new InMemoryCredentialSource()
        .Add("alice@example.test", TestSecurity.Credential("wonderland-Secret1"))
        .Add("bob@example.test", TestSecurity.Credential("builder-Secret1"));

    private ExternalMechanism Mechanism(string accountFrom = "email", bool crl = true)
    {
        var caFile = Path.Combine(_directory, "ca.pem");
        File.WriteAllText(caFile, _ca.Pem());
        var crlFile = Path.Combine(_directory, "ca.crl");
        File.WriteAllText(crlFile, _ca.CrlPem());
        var options = new ClientCertificateOptions { Mode = ClientCertificateMode.Optional, CaFile = caFile, CrlFile = crl ? crlFile : null, AccountFrom = accountFrom };
        return ExternalMechanism.For([new("imaps", options)])!;
    }

    private SaslContext Context(X509Certificate2? certificate, string listener = "imaps") =>
        TestSecurity.Context(_source) with { IsTls = true, ClientCertificate = certificate, ListenerName = listener };

    private static async Task<SaslStep> RunAsync(ExternalMechanism mechanism, SaslContext context, string authzid = "")
    {
        var server = mechanism.CreateServer(context);
        return await server.StartAsync(Encoding.UTF8.GetBytes(authzid));
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice@example.test")]
    public async Task A_trusted_certificate_logs_in_the_account_of_its_email(string authzid)
    {
        using var certificate = _ca.Issue("alice@example.test");
        var step = await RunAsync(Mechanism(), Context(certificate), authzid);
        Assert.True(step.IsSuccess);
        Assert.Equal(new SaslIdentity("alice@example.test", "EXTERNAL"), step.Identity);
    }

    [Fact]
    public async Task The_upn_and_cn_mappings_read_those_names()
    {
        _source.Add("alice@corp.test", null).Add("alice", null);
        using var certificate = _ca.Issue("alice@example.test", upn: "alice@corp.test");
        Assert.Equal("alice@corp.test", (await RunAsync(Mechanism("upn"), Context(certificate))).Identity?.AccountName);
        Assert.Equal("alice", (await RunAsync(Mechanism("cn"), Context(certificate))).Identity?.AccountName);
    }

    [Fact]
    public async Task Without_an_initial_response_the_empty_challenge_then_an_empty_response_logs_in()
    {
        using var certificate = _ca.Issue("alice@example.test");
        var server = Mechanism().CreateServer(Context(certificate));
        Assert.Equal(SaslStepKind.Continue, (await server.StartAsync(null)).Kind);
        Assert.True((await server.StepAsync(ReadOnlyMemory<byte>.Empty)).IsSuccess);
    }

    [Fact]
    public async Task A_certificate_from_another_ca_fails()
    {
        using var certificate = _stranger.Issue("alice@example.test");
        var server = (ExternalServer)Mechanism().CreateServer(Context(certificate));
        var step = await server.StartAsync(ReadOnlyMemory<byte>.Empty);
        Assert.Equal(SaslFailureReason.BadCredentials, step.FailureReason);
        Assert.Equal("certificate-untrusted", server.Reason);
    }

    [Fact]
    public async Task An_expired_certificate_fails()
    {
        using var certificate = _ca.Issue("alice@example.test", notBefore: DateTimeOffset.UtcNow.AddDays(-30), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        var server = (ExternalServer)Mechanism().CreateServer(Context(certificate));
        Assert.True((await server.StartAsync(ReadOnlyMemory<byte>.Empty)).IsFailure);
        Assert.Equal("certificate-expired", server.Reason);
    }

    [Fact]
    public async Task A_revoked_certificate_fails_but_only_with_the_crl()
    {
        using var certificate = _ca.Issue("alice@example.test");
        _ca.Revoke(certificate);
        var server = (ExternalServer)Mechanism().CreateServer(Context(certificate));
        Assert.True((await server.StartAsync(ReadOnlyMemory<byte>.Empty)).IsFailure);
        Assert.Equal("certificate-revoked", server.Reason);
        Assert.True((await RunAsync(Mechanism(crl: false), Context(certificate))).IsSuccess);
    }

    [Fact]
    public async Task A_certificate_for_another_user_than_the_authzid_fails()
    {
        using var certificate = _ca.Issue("bob@example.test");
        var step = await RunAsync(Mechanism(), Context(certificate), "alice@example.test");
        Assert.Equal(SaslFailureReason.AuthzidNotAllowed, step.FailureReason);
    }

    [Fact]
    public async Task A_certificate_mapped_to_nobody_fails()
    {
        using var certificate = _ca.Issue("carol@example.test");
        Assert.Equal(SaslFailureReason.UnknownUser, (await RunAsync(Mechanism(), Context(certificate))).FailureReason);
    }

    [Fact]
    public void External_is_offered_only_with_a_certificate_on_a_configured_listener()
    {
        using var certificate = _ca.Issue("alice@example.test");
        var mechanism = Mechanism();
        Assert.True(mechanism.IsAvailable(Context(certificate)));
        Assert.False(mechanism.IsAvailable(Context(null)));
        Assert.False(mechanism.IsAvailable(Context(certificate, "pop3s")));
        Assert.False(mechanism.IsAvailable(Context(certificate) with { IsTls = false }));
        Assert.Null(ExternalMechanism.For([new("imaps", new ClientCertificateOptions())]));
    }

    [Fact]
    public async Task A_nul_in_the_authzid_is_malformed()
    {
        using var certificate = _ca.Issue("alice@example.test");
        Assert.Equal(SaslFailureReason.Malformed, (await RunAsync(Mechanism(), Context(certificate), "alice\0bob")).FailureReason);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _stranger.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
