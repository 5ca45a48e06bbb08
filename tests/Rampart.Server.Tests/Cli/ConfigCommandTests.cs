using Rampart.Server.Cli;

namespace Rampart.Server.Tests.Cli;

public class ConfigCommandTests : IDisposable
{
    private readonly CliRunner cli = new();

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task Defaults_listen_on_implicit_tls_only()
    {
        var result = await cli.RunAsync("config", "check");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"on\s+imaps\s+0\.0\.0\.0:993\s+implicit TLS", result.Output);
        Assert.Matches(@"on\s+pop3s\s+0\.0\.0\.0:995\s+implicit TLS", result.Output);
        Assert.Matches(@"on\s+submissions\s+0\.0\.0\.0:465\s+implicit TLS", result.Output);
        foreach (var off in new[] { "imap", "pop3", "submission", "smtp", "lmtp", "admin" })
        {
            Assert.Matches($@"off\s+{off}\s", result.Output);
        }

        Assert.Contains("self-signed", result.Output);
        Assert.False(Directory.Exists(cli.DataPath), "config check must not create the data directory");
    }

    [Fact]
    public async Task Port_offset_moves_default_ports()
    {
        var result = await cli.RunAsync("config", "check", "--port-offset", "10000");
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"imaps\s+0\.0\.0\.0:10993", result.Output);
    }

    [Fact]
    public async Task A_config_file_moves_and_enables_listeners()
    {
        Directory.CreateDirectory(cli.DataPath);
        var file = Path.Combine(cli.DataPath, "custom.json");
        await File.WriteAllTextAsync(file, """{ "Listeners": { "imaps": { "Endpoint": "127.0.0.1:20993" }, "imap": { "Enabled": true, "Endpoint": "[::1]:20143" } } }""");
        var result = await cli.RunAsync("config", "check", "--config", file);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"on\s+imaps\s+127\.0\.0\.1:20993", result.Output);
        Assert.Matches(@"on\s+imap\s+\[::1\]:20143\s+STARTTLS", result.Output);
    }

    [Fact]
    public async Task Environment_overrides_the_file()
    {
        Environment.SetEnvironmentVariable("RAMPART__Listeners__pop3s__Endpoint", "127.0.0.1:21995");
        try
        {
            var result = await cli.RunAsync("config", "check");
            Assert.Matches(@"pop3s\s+127\.0\.0\.1:21995", result.Output);
        }
        finally
        {
            Environment.SetEnvironmentVariable("RAMPART__Listeners__pop3s__Endpoint", null);
        }
    }

    [Theory]
    [InlineData("""{ "Listeners": { "imaps": { "Endpoint": "nonsense" } } }""", "imaps")]
    [InlineData("""{ "Listeners": { "imapz": { "Endpoint": "127.0.0.1:1" } } }""", "unknown listener")]
    [InlineData("""{ "Listeners": { "imaps": { "Endpoint": "127.0.0.1:2000" }, "pop3s": { "Endpoint": "127.0.0.1:2000" } } }""", "both use")]
    [InlineData("""{ "Listeners": { "imap": { "Enabled": true, "Tls": "None" } } }""", "not allowed")]
    [InlineData("""{ "Tls": { "CertificatePath": "/nonexistent/cert.pem" } }""", "must be set together")]
    [InlineData("""{ "Tls": { "CertificatePath": "/nonexistent/cert.pem", "KeyPath": "/nonexistent/key.pem" } }""", "does not exist")]
    [InlineData("""{ "Listeners": { """, "cannot read")]
    public async Task Invalid_configuration_is_reported_with_exit_78(string json, string expected)
    {
        Directory.CreateDirectory(cli.DataPath);
        await File.WriteAllTextAsync(Path.Combine(cli.DataPath, "rampart.json"), json);
        var result = await cli.RunAsync("config", "check");
        Assert.Equal(ExitCodes.Config, result.ExitCode);
        Assert.Contains(expected, result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public async Task A_missing_config_file_is_reported()
    {
        var result = await cli.RunAsync("config", "check", "--config", "/nonexistent/rampart.json");
        Assert.Equal(ExitCodes.Config, result.ExitCode);
        Assert.Contains("does not exist", result.Error);
    }
}
