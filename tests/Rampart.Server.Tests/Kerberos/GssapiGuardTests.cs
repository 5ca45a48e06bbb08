namespace Rampart.Server.Tests.Kerberos;

/// <summary>A server whose guard bans after 3 failures, so that the test can see GSSAPI failures counted.</summary>
public sealed class GssapiGuardFixture : GssapiServerFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> ExtraSettings =>
    [
        new("RAMPART__Security__Guard__BanThreshold", "3"),
        new("RAMPART__Security__Guard__FirstDelay", "00:00:00.010"),
        new("RAMPART__Security__Guard__MaxDelay", "00:00:00.050"),
    ];
}

/// <summary>GSSAPI failures count in the guard like wrong passwords (SECURITY.md A11, B06): after the ban threshold of
/// Kerberos failures from one address, even a valid ticket from it is refused.</summary>
public sealed class GssapiGuardTests(GssapiGuardFixture fixture) : IClassFixture<GssapiGuardFixture>
{
    [Fact]
    public async Task Kerberos_failures_are_counted_until_the_client_is_banned()
    {
        Assert.Contains("AUTH OK", await fixture.ClientAsync("imap", "imap", "localhost"), StringComparison.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            Assert.Contains("FAILED", await fixture.ClientAsync("imap", "imap", "otherhost"), StringComparison.Ordinal);
        }

        var banned = await fixture.ClientAsync("imap", "imap", "localhost");
        Assert.DoesNotContain("AUTH OK", banned, StringComparison.Ordinal);
        Assert.Contains("FAILED", banned, StringComparison.Ordinal);
    }
}
