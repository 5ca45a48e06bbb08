using System.Net;
using Rampart.Smtp.SenderChecks;
using Rampart.Smtp.SenderChecks.Dns;
using Rampart.Smtp.SenderChecks.Spf;

namespace Rampart.Smtp.Tests.SenderChecks;

/// <summary>SPF (RFC 7208) against real DNS answers from dnsmasq.</summary>
public sealed class SpfCheckerTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");

    private static async Task<SpfOutcome> CheckAsync(DnsZone zone, string mailFrom, IPAddress? client = null, string helo = "client.example.org")
    {
        await using var dns = await LoopbackDns.StartAsync(zone);
        var checker = new SpfChecker(new DnsResolver(dns.Endpoint), "mx.rampart.test");
        return await checker.CheckAsync(new SenderFacts(client ?? Client, helo, mailFrom));
    }

    [Theory]
    [InlineData("v=spf1 ip4:192.0.2.0/24 -all", SpfResult.Pass)]
    [InlineData("v=spf1 ip4:198.51.100.1 -all", SpfResult.Fail)]
    [InlineData("v=spf1 ip4:198.51.100.1 ~all", SpfResult.SoftFail)]
    [InlineData("v=spf1 ip4:198.51.100.1 ?all", SpfResult.Neutral)]
    [InlineData("v=spf1 ip4:198.51.100.1", SpfResult.Neutral)]
    [InlineData("v=spf1 +ip4:192.0.2.10/32 -all", SpfResult.Pass)]
    [InlineData("v=spf1 -ip4:192.0.2.10 +all", SpfResult.Fail)]
    [InlineData("v=spf1 ip4:192.0.2.0/33 -all", SpfResult.PermError)]
    [InlineData("v=spf1 ip4:192.0.2.0/024 -all", SpfResult.PermError)]
    [InlineData("v=spf1 frobnicate -all", SpfResult.PermError)]
    [InlineData("v=spf1 unknown-modifier=whatever ip4:192.0.2.10 -all", SpfResult.Pass)]
    [InlineData("v=spf1 redirect=a.example.com redirect=b.example.com", SpfResult.PermError)]
    [InlineData("v=spf10 +all", SpfResult.None)]
    public async Task Results_follow_the_record(string record, SpfResult expected)
    {
        var outcome = await CheckAsync(new DnsZone().Txt("example.com", record), "alice@example.com");
        Assert.Equal(expected, outcome.Result);
        Assert.Equal("mailfrom", outcome.Identity);
        Assert.Equal("example.com", outcome.Domain);
    }

    [Fact]
    public async Task No_record_is_none_and_two_records_are_a_permerror()
    {
        Assert.Equal(SpfResult.None, (await CheckAsync(new DnsZone().Txt("example.com", "google-site-verification=x"), "a@example.com")).Result);
        Assert.Equal(SpfResult.None, (await CheckAsync(new DnsZone(), "a@nowhere.example.com")).Result);
        var two = new DnsZone().Txt("example.com", "v=spf1 +all").Txt("example.com", "v=spf1 -all");
        Assert.Equal(SpfResult.PermError, (await CheckAsync(two, "a@example.com")).Result);
    }

    [Fact]
    public async Task A_and_mx_with_cidr_and_ipv6()
    {
        var zone = new DnsZone()
            .Txt("example.com", "v=spf1 a mx/24 a:v6.example.com//64 -all")
            .A("example.com", "203.0.113.5")
            .Mx("example.com", "mail.example.com")
            .A("mail.example.com", "198.51.100.77")
            .Aaaa("v6.example.com", "2001:db8:1:2::1");
        Assert.Equal(SpfResult.Pass, (await CheckAsync(zone, "a@example.com", IPAddress.Parse("203.0.113.5"))).Result);
        Assert.Equal(SpfResult.Pass, (await CheckAsync(zone, "a@example.com", IPAddress.Parse("198.51.100.200"))).Result);
        Assert.Equal(SpfResult.Pass, (await CheckAsync(zone, "a@example.com", IPAddress.Parse("2001:db8:1:2:ffff::9"))).Result);
        Assert.Equal(SpfResult.Fail, (await CheckAsync(zone, "a@example.com", IPAddress.Parse("2001:db8:1:3::1"))).Result);
        Assert.Equal(SpfResult.Fail, (await CheckAsync(zone, "a@example.com", IPAddress.Parse("198.51.101.1"))).Result);
    }

    [Fact]
    public async Task Ip6_networks_and_ipv4_mapped_clients()
    {
        var zone = new DnsZone().Txt("example.com", "v=spf1 ip6:2001:db8::/32 ip4:192.0.2.0/24 -all");
        Assert.Equal(SpfResult.Pass, (await CheckAsync(zone, "a@example.com", IPAddress.Parse("2001:db8:ffff::1"))).Result);
        Assert.Equal(SpfResult.Fail, (await CheckAsync(zone, "a@example.com", IPAddress.Parse("2001:db9::1"))).Result);
        Assert.Equal(SpfResult.Pass, (await CheckAsync(zone, "a@example.com", IPAddress.Parse("::ffff:192.0.2.99"))).Result);
    }

    [Fact]
    public async Task Include_and_redirect()
    {
        var zone = new DnsZone()
            .Txt("example.com", "v=spf1 include:_spf.provider.example -all")
            .Txt("_spf.provider.example", "v=spf1 ip4:192.0.2.0/24 ~all")
            .Txt("sub.example.com", "v=spf1 redirect=example.com")
            .Txt("broken.example.com", "v=spf1 include:nothing.example.com -all")
            .Txt("dangling.example.com", "v=spf1 redirect=nothing.example.com");
        Assert.Equal(SpfResult.Pass, (await CheckAsync(zone, "a@example.com")).Result);

        // The included ~all does not match: evaluation goes on to the including record's -all.
        Assert.Equal(SpfResult.Fail, (await CheckAsync(zone, "a@example.com", IPAddress.Parse("198.51.100.1"))).Result);
        Assert.Equal(SpfResult.Pass, (await CheckAsync(zone, "a@sub.example.com")).Result);
        Assert.Equal(SpfResult.Fail, (await CheckAsync(zone, "a@sub.example.com", IPAddress.Parse("198.51.100.1"))).Result);

        // §5.2 and §6.1: an include or redirect target without a record is a permerror.
        Assert.Equal(SpfResult.PermError, (await CheckAsync(zone, "a@broken.example.com")).Result);
        Assert.Equal(SpfResult.PermError, (await CheckAsync(zone, "a@dangling.example.com")).Result);
    }

    [Fact]
    public async Task Eleven_dns_terms_are_a_permerror_ten_are_not()
    {
        var ten = new DnsZone().Txt("example.com", "v=spf1 " + string.Join(' ', Enumerable.Range(1, 9).Select(i => $"a:h{i}.example.com")) + " include:last.example.com -all")
            .Txt("last.example.com", "v=spf1 ip4:192.0.2.10 -all");
        var eleven = new DnsZone().Txt("example.com", "v=spf1 " + string.Join(' ', Enumerable.Range(1, 9).Select(i => $"a:h{i}.example.com")) + " include:last.example.com -all")
            .Txt("last.example.com", "v=spf1 a:x.example.com ip4:192.0.2.10 -all");
        for (var i = 1; i <= 9; i++)
        {
            ten.A($"h{i}.example.com", "198.51.100.1");
            eleven.A($"h{i}.example.com", "198.51.100.1");
        }

        eleven.A("x.example.com", "198.51.100.1");
        Assert.Equal(SpfResult.Pass, (await CheckAsync(ten, "a@example.com")).Result);
        var outcome = await CheckAsync(eleven, "a@example.com");
        Assert.Equal(SpfResult.PermError, outcome.Result);
        Assert.Contains("DNS-querying terms", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_third_void_lookup_is_a_permerror()
    {
        var two = new DnsZone().Txt("example.com", "v=spf1 a:n1.example.com a:n2.example.com ip4:192.0.2.10 -all");
        var three = new DnsZone().Txt("example.com", "v=spf1 a:n1.example.com a:n2.example.com exists:n3.example.com ip4:192.0.2.10 -all");
        Assert.Equal(SpfResult.Pass, (await CheckAsync(two, "a@example.com")).Result);
        var outcome = await CheckAsync(three, "a@example.com");
        Assert.Equal(SpfResult.PermError, outcome.Result);
        Assert.Contains("void", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_than_ten_mx_names_are_a_permerror()
    {
        var zone = new DnsZone().Txt("example.com", "v=spf1 mx -all");
        for (var i = 0; i < 11; i++)
        {
            zone.Mx("example.com", $"mx{i}.example.com", i).A($"mx{i}.example.com", "192.0.2.10");
        }

        Assert.Equal(SpfResult.PermError, (await CheckAsync(zone, "a@example.com")).Result);
    }

    [Fact]
    public async Task Macros_expand_in_exists_and_explanations()
    {
        // RFC 7208 §7.4's style: a per-address allow list, with reversal and a URL-escaped local-part.
        var zone = new DnsZone()
            .Txt("example.com", "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all exp=explain._spf.%{d}")
            .A("10.2.0.192.strong._spf.example.com", "127.0.0.2")
            .Txt("explain._spf.example.com", "%{L} is not allowed to send for %{d} from %{c} via %{r}");
        Assert.Equal(SpfResult.Pass, (await CheckAsync(zone, "strong-bad@example.com")).Result);
        var denied = await CheckAsync(zone, "jo+b@example.com");
        Assert.Equal(SpfResult.Fail, denied.Result);
        Assert.Equal("jo%2Bb is not allowed to send for example.com from 192.0.2.10 via mx.rampart.test", denied.Explanation);
    }

    [Fact]
    public async Task Ipv6_macro_and_ptr_mechanism()
    {
        var client = IPAddress.Parse("2001:db8::cb01");
        var zone = new DnsZone()
            .Txt("example.com", "v=spf1 exists:%{ir}.%{v}._spf.%{d2} -all")
            .A("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com", "127.0.0.2")
            .Txt("ptr.example.com", "v=spf1 ptr -all")
            .Aaaa("host.ptr.example.com", "2001:db8::cb01");
        Assert.Equal(SpfResult.Pass, (await CheckAsync(zone, "a@example.com", client)).Result);
        Assert.Equal(SpfResult.Pass, (await CheckAsync(zone, "a@ptr.example.com", client)).Result);
        Assert.Equal(SpfResult.Fail, (await CheckAsync(zone, "a@ptr.example.com", IPAddress.Parse("2001:db8::1"))).Result);
    }

    [Fact]
    public async Task Bad_macros_are_a_permerror()
    {
        Assert.Equal(SpfResult.PermError, (await CheckAsync(new DnsZone().Txt("example.com", "v=spf1 exists:%{x}.example.com -all"), "a@example.com")).Result);
        Assert.Equal(SpfResult.PermError, (await CheckAsync(new DnsZone().Txt("example.com", "v=spf1 exists:%{d0}.example.com -all"), "a@example.com")).Result);
        Assert.Equal(SpfResult.PermError, (await CheckAsync(new DnsZone().Txt("example.com", "v=spf1 include:%{d -all"), "a@example.com")).Result);
    }

    [Fact]
    public async Task Empty_reverse_path_checks_the_helo_name()
    {
        var zone = new DnsZone().Txt("client.example.org", "v=spf1 ip4:192.0.2.10 -all");
        var outcome = await CheckAsync(zone, "", helo: "client.example.org");
        Assert.Equal((SpfResult.Pass, "helo", "client.example.org", "postmaster@client.example.org"),
            (outcome.Result, outcome.Identity, outcome.Domain, outcome.Sender));
        Assert.Equal(SpfResult.Fail, (await CheckAsync(zone, "", IPAddress.Parse("198.51.100.1"), "client.example.org")).Result);
        Assert.Equal(SpfResult.None, (await CheckAsync(zone, "", helo: "[192.0.2.10]")).Result);
    }

    [Fact]
    public async Task An_unreachable_resolver_is_a_temperror()
    {
        // A closed port on loopback: nothing answers.
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var endpoint = (IPEndPoint)socket.LocalEndPoint!;
        var resolver = new DnsResolver(new DnsOptions { Servers = [endpoint.ToString()], Timeout = TimeSpan.FromMilliseconds(200), Retries = 0 });
        var outcome = await new SpfChecker(resolver, "mx.rampart.test").CheckAsync(new SenderFacts(Client, "h.example.org", "a@example.com"));
        Assert.Equal(SpfResult.TempError, outcome.Result);
    }
}
