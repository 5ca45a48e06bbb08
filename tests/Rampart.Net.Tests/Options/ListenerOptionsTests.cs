using System.Net;
using Rampart.Net.Options;

namespace Rampart.Net.Tests.Options;

public class ListenerOptionsTests
{
    [Theory]
    [InlineData("0.0.0.0:993", "0.0.0.0", 993)]
    [InlineData("[::]:993", "::", 993)]
    [InlineData("127.0.0.1:10993", "127.0.0.1", 10993)]
    [InlineData(" [::1]:0 ", "::1", 0)]
    public void Parses_endpoints(string text, string address, int port)
    {
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), ListenerOptions.ParseEndpoint(text));
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("993", "the port is missing")]
    [InlineData("::1:993", "write an IPv6 address in brackets")]
    [InlineData("[::1]993", "must be followed by :PORT")]
    [InlineData("mail.example.com:993", "is not an IP address")]
    [InlineData("0.0.0.0:99999", "is not a port number")]
    [InlineData("0.0.0.0:-1", "is not a port number")]
    public void Rejects_bad_endpoints_with_the_reason(string text, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => ListenerOptions.ParseEndpoint(text));
        Assert.Contains(reason, ex.Message);
        Assert.Contains("ADDRESS:PORT", ex.Message);
    }

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var limits = new ConnectionLimitOptions();
        Assert.Equal(20, limits.MaxConnectionsPerIp);
        Assert.Equal(10_000, limits.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(60), limits.PreAuthIdleTimeout);
        Assert.Equal(64 * 1024, limits.LineLengthLimit);
        Assert.Equal(4096, limits.PreAuthLiteralLimit);
        Assert.Equal(50_000_000, limits.MaxLiteral);
        Assert.Equal(1000, limits.MaxLiteralsPerCommand);
        Assert.Equal(TimeSpan.FromSeconds(15), new TlsOptions().HandshakeTimeout);
        Assert.Equal(TlsMode.Implicit, new ListenerOptions().Tls);
    }
}
