using Rampart.Smtp.Domains;

namespace Rampart.Smtp.Tests.Domains;

/// <summary><c>DATA/domains.json</c>: add, list, remove, IDN in one form (RFC 5890), and another process's change seen.</summary>
public sealed class HostedDomainFileTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("rampart-domains-").FullName;

    [Fact]
    public void Add_list_remove()
    {
        var domains = new HostedDomainFile(data);
        Assert.False(domains.IsHosted("example.com"));
        Assert.True(domains.Add("Example.COM."));
        Assert.False(domains.Add("example.com"));
        Assert.True(domains.Add("b.example"));
        Assert.Equal(["b.example", "example.com"], domains.List());
        Assert.True(domains.IsHosted("EXAMPLE.com"));
        Assert.True(domains.Remove("example.com"));
        Assert.False(domains.Remove("example.com"));
        Assert.False(domains.IsHosted("example.com"));
        Assert.Equal(["b.example"], domains.List());
    }

    [Fact]
    public void IDN_domains_are_stored_as_A_labels_and_match_either_form()
    {
        var domains = new HostedDomainFile(data);
        Assert.True(domains.Add("BÜCHER.example"));
        Assert.Equal(["xn--bcher-kva.example"], domains.List());
        Assert.True(domains.IsHosted("bücher.example"));
        Assert.True(domains.IsHosted("XN--BCHER-KVA.example"));
        Assert.Equal("bücher.example", DomainName.ToUnicode("xn--bcher-kva.example"));
        Assert.Contains("xn--bcher-kva.example", File.ReadAllText(Path.Combine(data, HostedDomainFile.FileName)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("bad_name.example")]
    [InlineData("a..b")]
    [InlineData("-x.example")]
    public void Invalid_names_are_refused(string name)
    {
        var domains = new HostedDomainFile(data);
        Assert.Throws<FormatException>(() => domains.Add(name));
        Assert.False(domains.IsHosted(name));
    }

    [Fact]
    public void A_change_by_another_instance_is_seen_without_a_restart()
    {
        var server = new HostedDomainFile(data);
        Assert.False(server.IsHosted("new.example"));
        new HostedDomainFile(data).Add("new.example");
        Assert.True(server.IsHosted("new.example"));
        new HostedDomainFile(data).Remove("new.example");
        Assert.False(server.IsHosted("new.example"));
    }

    [Fact]
    public void A_damaged_file_is_reported_not_taken_as_empty()
    {
        File.WriteAllText(Path.Combine(data, HostedDomainFile.FileName), "{ not json");
        var domains = new HostedDomainFile(data);
        Assert.Throws<InvalidDataException>(() => domains.List());
    }

    public void Dispose() => Directory.Delete(data, recursive: true);
}
