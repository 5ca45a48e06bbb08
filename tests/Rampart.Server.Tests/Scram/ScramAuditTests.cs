namespace Rampart.Server.Tests.Scram;

/// <summary><c>rampart security audit</c> (issue 8 item 5): one line each for SCRAM, OAuth, client certificates and
/// GSSAPI; SCRAM-SHA-1 switched on is a WARN.</summary>
public sealed class ScramAuditTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "rampart-scram-audit-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task The_audit_has_a_line_for_each_strong_mechanism_and_passes_scram_by_default()
    {
        var lines = await AuditAsync("{}");
        Assert.Contains(lines, l => l.StartsWith("PASS  sasl.scram", StringComparison.Ordinal) && l.Contains("SCRAM-SHA-256-PLUS", StringComparison.Ordinal) && l.Contains("SCRAM-SHA-1 off", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("PASS  auth.oauth", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("PASS  auth.client-certs", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("PASS  sasl.gssapi", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scram_sha_1_enabled_is_a_warning()
    {
        var lines = await AuditAsync("""{ "Security": { "ScramSha1": true } }""");
        Assert.Contains(lines, l => l.StartsWith("WARN  sasl.scram", StringComparison.Ordinal) && l.Contains("Security:ScramSha1", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private async Task<string[]> AuditAsync(string json)
    {
        Directory.CreateDirectory(_data);
        var config = Path.Combine(_data, "rampart-" + Guid.NewGuid().ToString("N")[..6] + ".json");
        await File.WriteAllTextAsync(config, json);
        var (_, output, error) = await RampartProcess.RunAsync("", "security", "audit", "--config", config, "--data", _data);
        var lines = output.Split('\n');
        Assert.True(lines.Any(l => l.Contains("sasl.scram", StringComparison.Ordinal)), output + error);
        return lines;
    }
}
