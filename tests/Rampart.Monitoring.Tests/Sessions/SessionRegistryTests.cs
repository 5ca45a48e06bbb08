using System.Net;
using Rampart.Monitoring.Events;
using Rampart.Monitoring.Sessions;

namespace Rampart.Monitoring.Tests.Sessions;

public sealed class SessionRegistryTests
{
    [Fact]
    public void Sessions_learn_user_client_and_bytes_from_events_and_can_be_killed()
    {
        var registry = new SessionRegistry();
        var killed = new List<string>();
        var ip = IPAddress.Parse("192.0.2.1");
        foreach (var id in new[] { "a", "b", "c" })
        {
            registry.Register(id, "imap", "imaps", ip, DateTimeOffset.UtcNow, "Tls13", () => killed.Add(id));
        }

        registry.Raise(new AuthenticationSucceeded { SessionId = "a", User = "alice" });
        registry.Raise(new AuthenticationSucceeded { SessionId = "b", User = "Alice" });
        registry.Raise(new AuthenticationSucceeded { SessionId = "c", User = "bob" });
        registry.Raise(new ClientIdentified { SessionId = "a", ClientId = "Thunderbird" });
        registry.Raise(new DataTransferred { SessionId = "a", BytesIn = 5, BytesOut = 700 });
        registry.Raise(new DataTransferred { SessionId = "a", BytesIn = 5, BytesOut = 300 });
        registry.Raise(new AuthenticationSucceeded { SessionId = "unknown", User = "x" });

        var a = registry.Find("a")!;
        Assert.Equal(("alice", "Thunderbird", 10L, 1000L), (a.User, a.ClientId, a.BytesIn, a.BytesOut));
        Assert.Equal(2, registry.List("ALICE").Count);
        Assert.Equal(3, registry.List().Count);

        Assert.Equal(2, registry.KillUser("alice"));
        Assert.True(registry.Kill("c"));
        Assert.True(registry.Kill("c"));
        Assert.False(registry.Kill("nope"));
        Assert.Equal(["a", "b", "c"], killed.Order());

        Assert.NotNull(registry.Unregister("a"));
        Assert.Null(registry.Unregister("a"));
        Assert.Equal(2, registry.Count);
    }
}
