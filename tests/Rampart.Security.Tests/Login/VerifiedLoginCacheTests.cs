using System.Net;
using Microsoft.Extensions.Time.Testing;
using Rampart.Security.LoginCache;

namespace Rampart.Security.Tests.Login;

/// <summary>The verified-login cache on its own (issue 5, "cost control"): an entry lives for its TTL and no longer,
/// answers only for the name, network, password and stored hash it was made with, is dropped by account name as
/// well as by the name typed, and a full cache is cleared rather than grown.</summary>
public sealed class VerifiedLoginCacheTests
{
    private const string Hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA";
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.7");

    [Fact]
    public void An_entry_lives_for_its_ttl_and_not_a_tick_longer()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-05T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var cache = new VerifiedLoginCache(time, TimeSpan.FromMinutes(5));
        cache.Add("alice", Client, "Right-Password-1", "alice", Hash);

        time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        Assert.True(cache.IsVerified("alice", Client, "Right-Password-1", "alice", Hash));
        time.Advance(TimeSpan.FromTicks(1));
        Assert.False(cache.IsVerified("alice", Client, "Right-Password-1", "alice", Hash));
    }

    [Fact]
    public void The_default_ttl_is_five_minutes()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), new VerifiedLoginCache().Ttl);
        Assert.Equal(VerifiedLoginCache.DefaultTtl, new VerifiedLoginCache().Ttl);
    }

    [Fact]
    public void A_hit_needs_the_same_password_network_account_and_stored_hash()
    {
        var cache = new VerifiedLoginCache();
        cache.Add("Alice", Client, "Right-Password-1", "alice", Hash);

        Assert.True(cache.IsVerified("alice", Client, "Right-Password-1", "alice", Hash)); // the typed name's case does not matter
        Assert.False(cache.IsVerified("alice", Client, "Right-Password-2", "alice", Hash));
        Assert.False(cache.IsVerified("alice", IPAddress.Parse("198.51.100.7"), "Right-Password-1", "alice", Hash));
        Assert.False(cache.IsVerified("alice", Client, "Right-Password-1", "bob", Hash));
        Assert.False(cache.IsVerified("alice", Client, "Right-Password-1", "alice", Hash + "x")); // the password changed elsewhere
        Assert.False(cache.IsVerified("bob", Client, "Right-Password-1", "alice", Hash));
    }

    [Fact]
    public void Forget_drops_entries_by_the_typed_name_and_by_the_account_name()
    {
        var cache = new VerifiedLoginCache();
        cache.Add("al@example.org", Client, "Right-Password-1", "alice", Hash);
        cache.Add("alice", Client, "Right-Password-1", "alice", Hash);
        cache.Add("bob", Client, "Other-Password-2", "bob", Hash);
        Assert.Equal(3, cache.Count);

        cache.Forget("alice");
        Assert.Equal(1, cache.Count);
        Assert.False(cache.IsVerified("al@example.org", Client, "Right-Password-1", "alice", Hash));
        Assert.True(cache.IsVerified("bob", Client, "Other-Password-2", "bob", Hash));
    }

    [Fact]
    public void A_full_cache_sweeps_expired_entries_and_otherwise_clears_instead_of_growing()
    {
        var time = new FakeTimeProvider();
        var cache = new VerifiedLoginCache(time, TimeSpan.FromMinutes(5), capacity: 3);
        cache.Add("a", Client, "Password-a", "a", Hash);
        cache.Add("b", Client, "Password-b", "b", Hash);
        time.Advance(TimeSpan.FromMinutes(6));
        cache.Add("c", Client, "Password-c", "c", Hash);
        cache.Add("d", Client, "Password-d", "d", Hash); // full: the two expired ones are swept
        Assert.Equal(2, cache.Count);

        cache.Add("e", Client, "Password-e", "e", Hash);
        cache.Add("f", Client, "Password-f", "f", Hash); // full of live entries: cleared, then f added
        Assert.Equal(1, cache.Count);
        Assert.True(cache.IsVerified("f", Client, "Password-f", "f", Hash));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VerifiedLoginCache(capacity: 0));
    }
}
