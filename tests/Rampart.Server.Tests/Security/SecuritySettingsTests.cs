using Microsoft.Extensions.Configuration;
using Rampart.Server.Configuration;
using Rampart.Server.Security;

namespace Rampart.Server.Tests.Security;

public class SecuritySettingsTests
{
    private static SecuritySettings Bind(Dictionary<string, string?> values)
    {
        var raw = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return SecuritySettings.Bind(new ServerConfiguration(new RampartOptions(), [], "mail.test", null, raw));
    }

    [Fact]
    public void Defaults_are_the_documented_ones_and_weaken_nothing()
    {
        var settings = Bind([]);
        Assert.Empty(settings.WeakenedDefaults());
        Assert.Equal("default", settings.Policy().Name);
        Assert.Equal(20, settings.Guard.BanThreshold);
        Assert.Equal(TimeSpan.FromHours(1), settings.Guard.BanDuration);
    }

    [Fact]
    public void Settings_bind_and_weakened_ones_are_reported()
    {
        var settings = Bind(new()
        {
            ["Security:PasswordProfile"] = "nist",
            ["Security:Guard:BanThreshold"] = "50",
            ["Security:Guard:TrustedNetworks:0"] = "10.0.0.0/8",
            ["Security:LegacyMechanisms"] = "true",
        });
        Assert.Equal("nist", settings.Policy().Name);
        Assert.Equal(["10.0.0.0/8"], settings.Guard.TrustedNetworks);
        var weakened = settings.WeakenedDefaults();
        Assert.Equal(3, weakened.Count);
        Assert.Contains(weakened, w => w.StartsWith("Security:Guard:BanThreshold 50", StringComparison.Ordinal));
        Assert.Contains(weakened, w => w.Contains("TrustedNetworks", StringComparison.Ordinal));
        Assert.Contains(weakened, w => w.Contains("LegacyMechanisms", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => Bind(new() { ["Security:PasswordProfile"] = "lax" }).Policy());
    }
}
