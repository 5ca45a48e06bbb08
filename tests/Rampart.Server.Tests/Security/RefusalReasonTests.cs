using System.Net;
using Rampart.Net.Access;
using Rampart.Net.Options;
using Rampart.Security.Access;
using Rampart.Server.Configuration;
using Rampart.Server.Security;
using Rampart.Store.Sqlite;

namespace Rampart.Server.Tests.Security;

/// <summary>Why a connection is refused before the greeting, as the server's gate reports it (the reason label of
/// <c>rampart_connections_refused_total</c> and of the <c>connection.refused</c> audit event): a banned address is
/// <see cref="ConnectionRefusal.Banned"/>, a server-wide deny rule is <see cref="ConnectionRefusal.AccessDenied"/>,
/// and a rule for one protocol refuses only that protocol.</summary>
public sealed class RefusalReasonTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), "rampart-refusal-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task A_ban_is_refused_as_banned_and_a_deny_rule_as_access_denied_for_its_protocol_only()
    {
        var data = DataDirectory.OpenOrCreate(path);
        await using var store = await SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = path });
        using var security = new SecurityServices(data, store, data.ReadOrCreateSecret(), new SecuritySettings());
        var gate = new ConnectionGate(new AccessOptions(), new ConnectionLimitOptions()) { Refuse = security.RefuseBeforeGreeting };
        var banned = IPAddress.Parse("192.0.2.7");
        var denied = IPAddress.Parse("198.51.100.9");

        security.Guard.Ban(IPNetwork.Parse("192.0.2.7/32"), TimeSpan.FromHours(1), "test");
        security.ServerAccess.Update(rules => rules.Add("198.51.100.0/24", AccessAction.Deny, "imap"));

        Assert.Equal(ConnectionRefusal.Banned, gate.Check(banned, "imap"));
        Assert.Equal(ConnectionRefusal.Banned, gate.Check(banned, "pop3"));
        Assert.Equal(ConnectionRefusal.AccessDenied, gate.Check(denied, "imap"));
        Assert.Null(gate.Check(denied, "pop3"));
        Assert.Null(gate.Check(IPAddress.Parse("203.0.113.1"), "imap"));
    }
}
