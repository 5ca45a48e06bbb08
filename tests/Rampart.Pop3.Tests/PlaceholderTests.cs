namespace Rampart.Pop3.Tests;

public class SmokeTests
{
    [Fact]
    public void Builds() => Assert.True(typeof(Rampart.Pop3.Tests.SmokeTests).Assembly is not null);
}
