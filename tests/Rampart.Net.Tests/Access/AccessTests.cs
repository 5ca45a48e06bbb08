using System.Net;
using Rampart.Net.Access;
using Rampart.Net.Options;

namespace Rampart.Net.Tests.Access;

public class AccessTests
{
    [Theory]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1")]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("fe80::1%2", "fe80::1")]
    public void Normalizes_ipv4_mapped_addresses(string input, string expected)
    {
        Assert.Equal(IPAddress.Parse(expected), IPAddressNormalization.Normalize(IPAddress.Parse(input)));
    }

    [Fact]
    public void Ipv6_clients_are_keyed_by_their_64()
    {
        Assert.Equal(
            IPAddressNormalization.ClientKey(IPAddress.Parse("2001:db8:1:2:aaaa::1")),
            IPAddressNormalization.ClientKey(IPAddress.Parse("2001:db8:1:2:bbbb::9")));
        Assert.NotEqual(
            IPAddressNormalization.ClientKey(IPAddress.Parse("2001:db8:1:2::1")),
            IPAddressNormalization.ClientKey(IPAddress.Parse("2001:db8:1:3::1")));
    }

    [Fact]
    public void Deny_wins_and_mapped_addresses_match_ipv4_rules()
    {
        var access = new AccessOptions();
        access.Allow.Add("192.0.2.0/24");
        access.Allow.Add("2001:db8::/32");
        access.Deny.Add("192.0.2.66");
        access.Deny.Add("::ffff:198.51.100.0/120");
        var gate = new ConnectionGate(access, new ConnectionLimitOptions());
        Assert.True(gate.IsAllowed(IPAddress.Parse("192.0.2.1")));
        Assert.True(gate.IsAllowed(IPAddress.Parse("::ffff:192.0.2.1")));
        Assert.False(gate.IsAllowed(IPAddress.Parse("::ffff:192.0.2.66")));
        Assert.False(gate.IsAllowed(IPAddress.Parse("192.0.2.66")));
        Assert.True(gate.IsAllowed(IPAddress.Parse("2001:db8::5")));
        Assert.False(gate.IsAllowed(IPAddress.Parse("2001:db9::5")));
        Assert.False(gate.IsAllowed(IPAddress.Parse("203.0.113.1")));
    }

    [Fact]
    public void Bad_cidr_names_the_list_and_entry()
    {
        var access = new AccessOptions();
        access.Deny.Add("10.0.0.0/33");
        var ex = Assert.Throws<FormatException>(() => new ConnectionGate(access, new ConnectionLimitOptions()));
        Assert.Contains("Access:Deny", ex.Message);
        Assert.Contains("10.0.0.0/33", ex.Message);
    }

    [Fact]
    public void Leases_count_and_release()
    {
        var gate = new ConnectionGate(new AccessOptions(), new ConnectionLimitOptions { MaxConnectionsPerIp = 2, MaxConnections = 3 });
        var ip = IPAddress.Parse("192.0.2.1");
        var a = gate.TryAcquire(ip, out _);
        var b = gate.TryAcquire(IPAddress.Parse("::ffff:192.0.2.1"), out _);
        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.Null(gate.TryAcquire(ip, out var refusal));
        Assert.Equal(ConnectionRefusal.PerIpLimit, refusal);
        a!.ReleasePreAuth();
        var c = gate.TryAcquire(ip, out _);
        Assert.NotNull(c);
        Assert.Null(gate.TryAcquire(IPAddress.Parse("192.0.2.9"), out refusal));
        Assert.Equal(ConnectionRefusal.TotalLimit, refusal);
        a.Dispose();
        b!.Dispose();
        c!.Dispose();
        Assert.Equal(0, gate.TotalConnections);
        Assert.Equal(0, gate.ConnectionsFrom(ip));
    }
}
