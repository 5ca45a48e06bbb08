using Rampart.Server.Tests.Cli;

namespace Rampart.Server.Tests.Kerberos;

/// <summary><c>Security:Gssapi</c> at start: a keytab that does not exist is one configuration error line (exit 78),
/// not a stack trace and not a server that fails every Kerberos login later; <c>rampart security audit</c> fails a
/// keytab others can read.</summary>
public sealed class GssapiConfigurationTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "rampart-gssapi-config-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task A_missing_keytab_stops_serve_with_a_configuration_error()
    {
        var keytab = Path.Combine(data, "no-such.keytab");
        using var serve = RampartProcess.StartRaw(["serve", "--data", data], new Dictionary<string, string>
        {
            ["RAMPART__Listeners__imaps__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__pop3s__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__submissions__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Security__Gssapi__Realm"] = "RAMPART.TEST",
            ["RAMPART__Security__Gssapi__Keytab"] = keytab,
        });
        serve.StandardInput.Close();
        var error = serve.StandardError.ReadToEndAsync();
        _ = serve.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await serve.WaitForExitAsync(timeout.Token);
        var text = await error;
        Assert.Equal(78, serve.ExitCode);
        Assert.Contains("rampart: Security:Gssapi:Keytab: The GSSAPI keytab does not exist. " + keytab, text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Security_audit_fails_a_keytab_others_can_read_and_passes_one_only_its_owner_reads()
    {
        Directory.CreateDirectory(data);
        var keytab = Path.Combine(data, "mail.keytab");
        await File.WriteAllBytesAsync(keytab, [5, 2]);
        var config = Path.Combine(data, "rampart.json");
        await File.WriteAllTextAsync(config, $$"""{ "Security": { "Gssapi": { "Realm": "RAMPART.TEST", "Keytab": "{{keytab}}" } } }""");
        using var cli = new CliRunner();

        File.SetUnixFileMode(keytab, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var open = await cli.RunAsync("security", "audit", "--config", config);
        Assert.Contains(open.Output.Split('\n'), l => l.StartsWith("FAIL", StringComparison.Ordinal) && l.Contains("sasl.gssapi", StringComparison.Ordinal));

        File.SetUnixFileMode(keytab, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var closed = await cli.RunAsync("security", "audit", "--config", config);
        Assert.Contains(closed.Output.Split('\n'), l => l.StartsWith("PASS  sasl.gssapi", StringComparison.Ordinal) && l.Contains("GSSAPI for realm RAMPART.TEST", StringComparison.Ordinal));

        var off = await cli.RunAsync("security", "audit");
        Assert.Contains(off.Output.Split('\n'), l => l.StartsWith("PASS  sasl.gssapi", StringComparison.Ordinal) && l.Contains("GSSAPI (Kerberos) is off", StringComparison.Ordinal));
    }
}
