using Rampart.Smtp.Outbound.MtaSts;

namespace Rampart.Smtp.Tests.Outbound;

/// <summary>The MTA-STS policy file and TXT record parsers and MX matching (RFC 8461 §3.1, §3.2, §4.1).</summary>
public sealed class MtaStsPolicyTests
{
    [Fact]
    public void Parses_an_enforce_policy_with_CRLF_and_LF_lines()
    {
        var policy = MtaStsPolicy.TryParse("version: STSv1\r\nmode: enforce\nmx: mail.example.com\r\nmx: *.example.net\nmax_age: 604800\r\n", out var error);

        Assert.Null(error);
        Assert.NotNull(policy);
        Assert.Equal(MtaStsMode.Enforce, policy.Mode);
        Assert.Equal(["mail.example.com", "*.example.net"], policy.MxPatterns);
        Assert.Equal(TimeSpan.FromSeconds(604800), policy.MaxAge);
    }

    [Theory]
    [InlineData("mode: enforce\nmx: a.example\nmax_age: 1\n", "version")]
    [InlineData("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n", "version")]
    [InlineData("version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1\n", "mode")]
    [InlineData("version: STSv1\nmode: enforce\nmax_age: 1\n", "no mx")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\n", "max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n", "max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -5\n", "max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 99999999999\n", "max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.*.example\nmax_age: 1\n", "mx")]
    [InlineData("version: STSv1\nmode: enforce\nmx: bad name\nmax_age: 1\n", "mx")]
    [InlineData("<html>not a policy</html>", "key: value")]
    public void Rejects_invalid_policies(string text, string reason)
    {
        Assert.Null(MtaStsPolicy.TryParse(text, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_the_largest_max_age_a_none_mode_without_mx_and_ignores_unknown_keys()
    {
        var policy = MtaStsPolicy.TryParse("version: STSv1\nmode: none\nmax_age: 31557600\nextension: whatever\n", out _);
        Assert.NotNull(policy);
        Assert.Equal(MtaStsMode.None, policy.Mode);
        Assert.Equal(TimeSpan.FromSeconds(MtaStsPolicy.MaxMaxAgeSeconds), policy.MaxAge);
    }

    [Fact]
    public void Limits_the_number_of_mx_lines()
    {
        var text = "version: STSv1\nmode: enforce\nmax_age: 60\n" + string.Concat(Enumerable.Range(0, MtaStsPolicy.MaxMxPatterns + 1).Select(i => $"mx: mx{i}.example\n"));
        Assert.Null(MtaStsPolicy.TryParse(text, out var error));
        Assert.Contains("mx lines", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mail.example.com", true)]
    [InlineData("MAIL.Example.com.", true)]
    [InlineData("mx1.example.net", true)]
    [InlineData("example.net", false)]
    [InlineData("a.b.example.net", false)]
    [InlineData("other.example.com", false)]
    [InlineData("mail.example.com.evil", false)]
    public void Matches_mx_hosts_exactly_or_by_one_leftmost_label(string host, bool expected)
    {
        var policy = MtaStsPolicy.TryParse("version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmax_age: 60\n", out _)!;
        Assert.Equal(expected, policy.Matches(host));
    }

    [Theory]
    [InlineData("v=STSv1; id=20260101T010101;", "20260101T010101")]
    [InlineData("v=STSv1;id=abc", "abc")]
    [InlineData("v=STSv1; id=abc; ext=1", "abc")]
    [InlineData("v=STSv1;", null)]
    [InlineData("v=STSv1; id=has-dash", null)]
    [InlineData("v=STSv1; id=123456789012345678901234567890123", null)]
    [InlineData("v=spf1 -all", null)]
    public void Parses_the_TXT_record(string text, string? id) =>
        Assert.Equal(id, MtaStsRecord.TryParse(text)?.Id);

    [Fact]
    public void Two_STSv1_records_mean_no_record()
    {
        Assert.Null(MtaStsRecord.Select(["v=STSv1; id=a", "v=STSv1; id=b"]));
        Assert.Equal("a", MtaStsRecord.Select(["v=spf1 -all", "v=STSv1; id=a"])?.Id);
    }
}
