using System.Net;
using Rampart.Security.Access;

namespace Rampart.Security.Tests.Access;

public class AccessRuleSetTests
{
    [Fact]
    public void Empty_allows_everyone()
    {
        Assert.True(new AccessRuleSet().Evaluate(IPAddress.Parse("203.0.113.1"), "imap").Allowed);
    }

    [Fact]
    public void Deny_wins_and_allow_lists_restrict_per_protocol()
    {
        var set = new AccessRuleSet();
        set.Add("2001:db8::/32", AccessAction.Allow, null);
        set.Add("::ffff:192.0.2.0/120", AccessAction.Allow, "IMAP");
        set.Add("2001:db8:bad::/48", AccessAction.Deny, null);
        Assert.Equal("192.0.2.0/24", set.Rules[1].Network);
        Assert.Equal("imap", set.Rules[1].Protocol);

        Assert.True(set.Evaluate(IPAddress.Parse("2001:db8:1::1"), "pop3").Allowed);
        Assert.False(set.Evaluate(IPAddress.Parse("2001:db8:bad::1"), "imap").Allowed);
        Assert.True(set.Evaluate(IPAddress.Parse("::ffff:192.0.2.5"), "imap").Allowed);
        Assert.False(set.Evaluate(IPAddress.Parse("192.0.2.5"), "pop3").Allowed);
        Assert.False(set.Evaluate(IPAddress.Parse("198.51.100.1"), "imap").Allowed);
    }

    [Fact]
    public void Round_trips_and_rejects_bad_input()
    {
        var set = new AccessRuleSet();
        set.Add("10.0.0.1", AccessAction.Deny, "smtp");
        var copy = AccessRuleSet.Parse(set.Serialize());
        Assert.Equal(set.Rules, copy.Rules);
        Assert.True(copy.Remove("10.0.0.1/32", "smtp"));
        Assert.False(copy.Remove("10.0.0.1/32", "smtp"));
        Assert.Throws<ArgumentException>(() => set.Add("10.0.0.1/33", AccessAction.Allow, null));
        Assert.Throws<ArgumentException>(() => set.Add("10.0.0.0/8", AccessAction.Allow, "ftp"));
        Assert.Throws<InvalidDataException>(() => AccessRuleSet.Parse("{"));
    }

    [Fact]
    public void Server_rule_file_is_shared_and_reread()
    {
        var dir = Directory.CreateTempSubdirectory("rampart-access-").FullName;
        try
        {
            var path = Path.Combine(dir, "guard", "access.json");
            var server = new ServerAccessRuleFile(path);
            Assert.True(server.Evaluate(IPAddress.Parse("192.0.2.1"), "imap").Allowed);
            new ServerAccessRuleFile(path).Update(r => r.Add("192.0.2.0/24", AccessAction.Deny, "imap"));
            Assert.False(server.Evaluate(IPAddress.Parse("192.0.2.1"), "imap").Allowed);
            Assert.True(server.Evaluate(IPAddress.Parse("192.0.2.1"), "pop3").Allowed);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
