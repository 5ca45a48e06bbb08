using Rampart.Store.Quota;

namespace Rampart.Store.Tests.Quota;

public sealed class QuotaSizeTests
{
    [Theory]
    [InlineData("1024", 1024L)]
    [InlineData("500M", 512000L)]
    [InlineData("500m", 512000L)]
    [InlineData("2G", 2097152L)]
    [InlineData("1T", 1073741824L)]
    [InlineData("64K", 64L)]
    [InlineData("0", 0L)]
    [InlineData(" unlimited ", null)]
    [InlineData("UNLIMITED", null)]
    public void Parses_kib_suffixes_and_unlimited(string text, long? expected)
    {
        Assert.True(QuotaSize.TryParse(text, out var kib));
        Assert.Equal(expected, kib);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("-1")]
    [InlineData("1.5G")]
    [InlineData("M")]
    [InlineData("10X")]
    [InlineData("2000T")]
    [InlineData("99999999999999999999")]
    public void Refuses_what_is_not_a_size(string? text) => Assert.False(QuotaSize.TryParse(text, out _));

    [Theory]
    [InlineData(512000L, "500 MiB")]
    [InlineData(1536L, "1536 KiB")]
    [InlineData(2097152L, "2 GiB")]
    [InlineData(null, "unlimited")]
    public void Formats_whole_units(long? kib, string expected) => Assert.Equal(expected, QuotaSize.Format(kib));

    [Fact]
    public void Allows_is_exact_at_the_limit()
    {
        var limits = new QuotaLimits(1, 2);
        Assert.True(limits.Allows(1000, 1, 24, 1));
        Assert.False(limits.Allows(1000, 1, 25, 1));
        Assert.False(limits.Allows(0, 2, 1, 1));
        Assert.True(QuotaLimits.Unlimited.Allows(long.MaxValue / 2, int.MaxValue, 1, 1));
    }
}
