using Rampart.Server.Tests.Support;

namespace Rampart.Server.Tests.Monitoring;

/// <summary>Issue 7 deliverable 1: the CLI's credential changes (password, two factors, app passwords) and
/// <c>ban remove</c> are typed audit events — written by the running server over the control socket, or appended to the
/// hash chain by the CLI itself when no server runs — and the chain stays valid.</summary>
public sealed class CliSecurityEventAuditTests : IDisposable
{
    private readonly RunningServer server = new("cli-events");

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task Credential_changes_and_ban_remove_are_audited_with_and_without_a_running_server()
    {
        await server.CliAsync("Correct-Horse-Battery-9\n", "user", "add", "alice", "--password-stdin");

        // No server: the CLI appends to the chain itself.
        await server.CliAsync("Another-Horse-Battery-10\n", "user", "passwd", "alice", "--password-stdin");
        await server.CliAsync("Another-Horse-Battery-10\nThird-Horse-Battery-11\n", "passwd", "alice");

        server.Start();
        await server.CliAsync(string.Empty, "app-password", "create", "alice", "--label", "phone");
        await server.CliAsync(string.Empty, "app-password", "revoke", "alice", "phone");
        await server.CliAsync(string.Empty, "user", "2fa", "disable", "alice");
        await server.CliAsync(string.Empty, "ban", "add", "198.51.100.9", "--reason", "test");
        await server.CliAsync(string.Empty, "ban", "remove", "198.51.100.9");
        await server.StopAsync();

        // After the server stopped: the CLI appends again, after the server's last line.
        await server.CliAsync("Fourth-Horse-Battery-12\n", "user", "passwd", "alice", "--password-stdin");

        var lines = server.AuditLines();
        var changes = lines.Where(l => RunningServer.Field(l, "kind") == "credential.change")
            .Select(l => (User: RunningServer.Field(l, "user"), Credential: RunningServer.Field(l, "credential"), Action: RunningServer.Field(l, "action"), Label: RunningServer.Field(l, "label")))
            .ToList();
        Assert.Equal(
            [
                ("alice", "password", "changed", null),
                ("alice", "password", "changed", null),
                ("alice", "app-password", "created", "phone"),
                ("alice", "app-password", "revoked", "phone"),
                ("alice", "2fa", "disabled", null),
                ("alice", "password", "changed", null),
            ],
            changes);
        Assert.All(lines, l => Assert.DoesNotContain("Horse-Battery", l.ToString(), StringComparison.Ordinal));

        var unbans = lines.Where(l => RunningServer.Field(l, "kind") == "unban").ToList();
        var unban = Assert.Single(unbans);
        Assert.Equal("198.51.100.9/32", RunningServer.Field(unban, "network"));
        Assert.Equal("198.51.100.9", RunningServer.Field(unban, "ip"));

        var verify = await RampartProcess.RunAsync(string.Empty, ["audit", "verify", "--data", server.Data]);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    [Fact]
    public async Task The_control_channel_refuses_a_malformed_credential_notice()
    {
        server.Start();
        Assert.Equal(["ERR bad credential change"], await Rampart.Server.Monitoring.ControlClient.SendAsync(server.Data, "CREDENTIAL alice password stolen", default));
        Assert.Equal(["ERR not a network"], await Rampart.Server.Monitoring.ControlClient.SendAsync(server.Data, "UNBANNED nowhere", default));
        await server.StopAsync();
        Assert.DoesNotContain(server.AuditLines(), l => RunningServer.Field(l, "kind") is "credential.change" or "unban");
    }
}
