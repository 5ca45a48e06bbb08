using Rampart.Smtp.Domains;
using Rampart.Store.Sqlite;

namespace Rampart.Smtp.Tests.Hosting;

/// <summary>The two IHostedDomains of the SMTP sessions' own: a fixed set, and the accounts' address domains read
/// from a real SQLite store (used when no domain list is registered).</summary>
public sealed class HostedDomainTests
{
    [Fact]
    public void A_fixed_set_ignores_case_and_a_trailing_dot()
    {
        var domains = new HostedDomainSet(["Example.TEST"]);
        Assert.True(domains.IsHosted("example.test"));
        Assert.True(domains.IsHosted("EXAMPLE.test."));
        Assert.False(domains.IsHosted("other.test"));
        Assert.False(domains.IsHosted("sub.example.test"));
    }

    [Fact]
    public async Task Account_address_domains_follow_the_store()
    {
        var directory = Path.Combine(Path.GetTempPath(), "rampart-smtp-domains-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            await using var store = await SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = directory });
            await store.CreateAccountAsync("alice", ["alice@example.test"]);
            var domains = new AccountAddressDomains(store) { RefreshInterval = TimeSpan.Zero };
            Assert.True(domains.IsHosted("EXAMPLE.test"));
            Assert.False(domains.IsHosted("other.test"));

            await store.CreateAccountAsync("bob", ["bob@other.test"]);
            Assert.True(domains.IsHosted("other.test"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
