namespace Rampart.Server.Tests.Federated;

/// <summary><c>rampart security audit</c> lines for OAuth and client certificates.</summary>
public sealed class FederatedAuditTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rampart-fedaudit-").FullName;

    private async Task<(int ExitCode, string Output)> AuditAsync(string json)
    {
        var config = Path.Combine(_directory, "rampart.json");
        await File.WriteAllTextAsync(config, json);
        var result = await RampartProcess.RunAsync(string.Empty, "security", "audit", "--config", config, "--data", Path.Combine(_directory, "data"));
        return (result.ExitCode, result.Output + result.Error);
    }

    [Fact]
    public async Task Oauth_without_audience_and_jwks_over_http_fail_and_client_certificates_without_crl_warn()
    {
        var (code, output) = await AuditAsync("""{ "Security": { "OAuth": { "Issuer": "https://idp.test", "JwksUrl": "https://idp.test/jwks" } } }""");
        Assert.Equal(1, code);
        Assert.Matches(@"FAIL\s+auth\.oauth\s+Security:OAuth validates JWTs without Issuer or Audience", output);

        (code, output) = await AuditAsync("""{ "Security": { "OAuth": { "Issuer": "https://idp.test", "Audience": "mail", "JwksUrl": "http://idp.test/jwks" } } }""");
        Assert.Matches(@"FAIL\s+auth\.oauth\s+.*plain http", output);

        (code, output) = await AuditAsync("""{ "Security": { "OAuth": { "Issuer": "https://idp.test", "Audience": "mail", "JwksUrl": "https://idp.test/jwks" } }, "Listeners": { "imaps": { "ClientCertificates": { "Mode": "optional", "CaFile": "/etc/ca.pem" } } } }""");
        Assert.Matches(@"PASS\s+auth\.oauth", output);
        Assert.Matches(@"WARN\s+auth\.client-certs\s+imaps: client certificates without a CRL", output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
