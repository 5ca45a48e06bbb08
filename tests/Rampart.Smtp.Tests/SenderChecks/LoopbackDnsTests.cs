using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace Rampart.Smtp.Tests.SenderChecks;

/// <summary>The dnsmasq fixture serves what a test gives it, and NXDOMAIN for everything else.</summary>
public sealed class LoopbackDnsTests
{
    [Fact]
    public async Task Serves_txt_mx_addresses_cname_and_tlsa()
    {
        var longValue = "v=DKIM1; k=rsa; p=" + new string('A', 400);
        await using var dns = await LoopbackDns.StartAsync(new DnsZone()
            .Txt("example.test", "v=spf1 -all")
            .Txt("long.example.test", longValue)
            .Mx("example.test", "mx.example.test", 5)
            .A("mx.example.test", "192.0.2.1")
            .Aaaa("mx.example.test", "2001:db8::1")
            .Cname("alias.example.test", "mx.example.test")
            .Tlsa("_25._tcp.mx.example.test", 3, 1, 1, "AABB"));
        var client = new LookupClient(new LookupClientOptions(dns.Endpoint) { UseCache = false, Retries = 0 });

        var txt = await client.QueryAsync("example.test", QueryType.TXT);
        Assert.Equal("v=spf1 -all", Assert.Single(txt.Answers.TxtRecords()).Text.Single());

        var split = Assert.Single((await client.QueryAsync("long.example.test", QueryType.TXT)).Answers.TxtRecords());
        Assert.Equal([255, 163], split.Text.Select(t => t.Length));
        Assert.Equal(longValue, string.Concat(split.Text));

        var mx = Assert.Single((await client.QueryAsync("example.test", QueryType.MX)).Answers.MxRecords());
        Assert.Equal(("mx.example.test.", (ushort)5), (mx.Exchange.Value, mx.Preference));
        Assert.Equal(IPAddress.Parse("192.0.2.1"), Assert.Single((await client.QueryAsync("mx.example.test", QueryType.A)).Answers.ARecords()).Address);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), Assert.Single((await client.QueryAsync("mx.example.test", QueryType.AAAA)).Answers.AaaaRecords()).Address);
        Assert.Single((await client.QueryAsync("alias.example.test", QueryType.A)).Answers.CnameRecords());
        var tlsa = Assert.Single((await client.QueryAsync("_25._tcp.mx.example.test", QueryType.TLSA)).Answers.OfType<TlsaRecord>());
        Assert.Equal("AABB", Convert.ToHexString(tlsa.CertificateAssociationData.ToArray()));

        var missing = await client.QueryAsync("nothing.example.test", QueryType.TXT);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, missing.Header.ResponseCode);
        var noData = await client.QueryAsync("example.test", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.NoError, noData.Header.ResponseCode);
        Assert.Empty(noData.Answers);
    }
}
