namespace Rampart.Imap.Tests;

public class SmokeTests
{
    [Fact]
    public void Builds() => Assert.True(typeof(Rampart.Imap.Tests.SmokeTests).Assembly is not null);
}
