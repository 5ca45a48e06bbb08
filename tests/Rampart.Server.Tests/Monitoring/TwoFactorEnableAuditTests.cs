using System.Text;
using System.Text.RegularExpressions;
using OtpNet;
using Rampart.Server.Tests.Support;

namespace Rampart.Server.Tests.Monitoring;

/// <summary>Issue 7: <c>rampart user 2fa enable</c> with no server running appends one <c>credential.change</c> line
/// (2fa enabled) to the audit chain, which <c>rampart audit verify</c> accepts; the seed never reaches the log.</summary>
public sealed partial class TwoFactorEnableAuditTests : IDisposable
{
    private readonly RunningServer server = new("2fa-audit");

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task Enabling_two_factors_without_a_server_is_one_credential_change_line_in_a_valid_chain()
    {
        await server.CliAsync("Correct-Horse-Battery-9\n", "user", "add", "alice", "--password-stdin");
        var secret = await TwoFactorEnrollment.EnrollAsync("alice", server.Data);

        var lines = server.AuditLines();
        var change = Assert.Single(lines, l => RunningServer.Field(l, "kind") == "credential.change");
        Assert.Equal("alice", RunningServer.Field(change, "user"));
        Assert.Equal("2fa", RunningServer.Field(change, "credential"));
        Assert.Equal("enabled", RunningServer.Field(change, "action"));
        Assert.Equal("cli", RunningServer.Field(change, "actor"));
        Assert.All(lines, l => Assert.DoesNotContain(secret, l.ToString(), StringComparison.Ordinal));

        var verify = await RampartProcess.RunAsync(string.Empty, ["audit", "verify", "--data", server.Data]);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }
}
