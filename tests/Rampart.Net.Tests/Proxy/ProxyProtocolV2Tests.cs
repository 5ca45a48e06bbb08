using System.Net;
using Rampart.Net.Proxy;
using Rampart.Net.Tests.Listeners;

namespace Rampart.Net.Tests.Proxy;

public class ProxyProtocolV2Tests
{
    [Fact]
    public void Parses_ipv4_header()
    {
        var bytes = AdmissionTests.ProxyV2(IPAddress.Parse("198.51.100.7"), 40000, IPAddress.Parse("203.0.113.1"), 993);
        var header = ProxyProtocolV2.Parse(bytes, out var consumed);
        Assert.Equal(28, consumed);
        Assert.False(header.IsLocal);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 40000), header.Source);
    }

    [Fact]
    public void Local_command_carries_no_address()
    {
        var bytes = AdmissionTests.ProxyV2(IPAddress.Parse("198.51.100.7"), 1, IPAddress.Parse("203.0.113.1"), 2);
        bytes[12] = 0x20;
        Assert.True(ProxyProtocolV2.Parse(bytes, out _).IsLocal);
    }

    [Theory]
    [InlineData(0, 0x00)] // bad signature
    [InlineData(12, 0x11)] // version 1
    [InlineData(12, 0x22)] // command 2
    [InlineData(13, 0x31)] // AF_UNIX
    [InlineData(13, 0x12)] // UDP
    public void Rejects_malformed_headers(int offset, byte value)
    {
        var bytes = AdmissionTests.ProxyV2(IPAddress.Parse("198.51.100.7"), 1, IPAddress.Parse("203.0.113.1"), 2);
        bytes[offset] = value;
        Assert.Throws<InvalidDataException>(() => ProxyProtocolV2.Parse(bytes, out _));
    }

    [Fact]
    public void Rejects_oversized_length()
    {
        var bytes = AdmissionTests.ProxyV2(IPAddress.Parse("198.51.100.7"), 1, IPAddress.Parse("203.0.113.1"), 2);
        bytes[14] = 0xFF;
        Assert.Throws<InvalidDataException>(() => ProxyProtocolV2.Parse(bytes, out _));
    }
}
