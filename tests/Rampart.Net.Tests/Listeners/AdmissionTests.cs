using System.Buffers.Binary;
using System.Net;
using Rampart.Net.Access;
using Rampart.Net.Options;
using Rampart.Net.Tests.TestSupport;

namespace Rampart.Net.Tests.Listeners;

public sealed class AdmissionTests : IDisposable
{
    private readonly TestCertificates _files = new();

    public void Dispose() => _files.Dispose();

    // I01: a denied address is closed before the server sends a byte.
    [Theory]
    [InlineData("127.0.0.1", null)]
    [InlineData("127.0.0.0/8", null)]
    [InlineData(null, "192.0.2.0/24")]
    [InlineData("::ffff:127.0.0.1", null)]
    public async Task Denied_address_is_closed_before_any_byte(string? deny, string? allowOnly)
    {
        await using var server = TestServer.Start(_files, TlsMode.None, access: o =>
        {
            if (deny is not null)
            {
                o.Deny.Add(deny);
            }

            if (allowOnly is not null)
            {
                o.Allow.Add(allowOnly);
            }
        });
        using var tcp = await server.ConnectAsync();
        var received = await TestServer.ReadToCloseAsync(tcp.GetStream());
        Assert.Empty(received);
        Assert.Contains(server.Observer.Refused, r => r.Reason == ConnectionRefusal.AccessDenied);
        Assert.Empty(server.Handler.Connections);
    }

    // I01 through a dual-stack socket: the IPv4 client arrives as ::ffff:127.0.0.1 and is matched (and reported) as IPv4.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Ipv4_mapped_clients_are_matched_as_ipv4(bool denied)
    {
        await using var server = TestServer.Start(_files, TlsMode.None, access: o => o.Deny.Add(denied ? "127.0.0.1" : "192.0.2.1"), endpoint: "[::ffff:127.0.0.1]:0");
        using var tcp = await server.ConnectAsync();
        if (denied)
        {
            Assert.Empty(await TestServer.ReadToCloseAsync(tcp.GetStream()));
            Assert.Contains(server.Observer.Refused, r => r.Remote.Address.Equals(IPAddress.Loopback));
        }
        else
        {
            Assert.Equal("* OK ready", await TestServer.ReadLineAsync(tcp.GetStream()));
            Assert.Equal(IPAddress.Loopback, Assert.Single(server.Handler.Connections).RemoteEndPoint.Address);
        }
    }

    [Fact]
    public async Task Allowed_address_gets_the_greeting()
    {
        await using var server = TestServer.Start(_files, TlsMode.None, access: o => o.Allow.Add("127.0.0.0/8"));
        using var tcp = await server.ConnectAsync();
        Assert.Equal("* OK ready", await TestServer.ReadLineAsync(tcp.GetStream()));
    }

    // The N+1th pre-auth connection from one IP is closed without a greeting; after a login frees a slot, a new one is served.
    [Fact]
    public async Task Per_ip_limit_refuses_the_extra_connection()
    {
        await using var server = TestServer.Start(_files, TlsMode.None, limits: o => o.MaxConnectionsPerIp = 3);
        var open = new List<System.Net.Sockets.TcpClient>();
        for (var i = 0; i < 3; i++)
        {
            var client = await server.ConnectAsync();
            Assert.Equal("* OK ready", await TestServer.ReadLineAsync(client.GetStream()));
            open.Add(client);
        }

        using (var extra = await server.ConnectAsync())
        {
            Assert.Empty(await TestServer.ReadToCloseAsync(extra.GetStream()));
        }

        Assert.Contains(server.Observer.Refused, r => r.Reason == ConnectionRefusal.PerIpLimit);
        server.Handler.Connections[0].MarkAuthenticated();
        using (var after = await server.ConnectAsync())
        {
            Assert.Equal("* OK ready", await TestServer.ReadLineAsync(after.GetStream()));
        }

        foreach (var client in open)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task Total_limit_refuses_the_extra_connection()
    {
        await using var server = TestServer.Start(_files, TlsMode.None, limits: o => o.MaxConnections = 2);
        using var a = await server.ConnectAsync();
        using var b = await server.ConnectAsync();
        Assert.Equal("* OK ready", await TestServer.ReadLineAsync(a.GetStream()));
        Assert.Equal("* OK ready", await TestServer.ReadLineAsync(b.GetStream()));
        using var c = await server.ConnectAsync();
        Assert.Empty(await TestServer.ReadToCloseAsync(c.GetStream()));
        Assert.Contains(server.Observer.Refused, r => r.Reason == ConnectionRefusal.TotalLimit);
    }

    // PROXY v2 from a trusted peer: the header's source becomes the client address.
    [Fact]
    public async Task Proxy_header_from_trusted_peer_sets_the_remote_endpoint()
    {
        await using var server = TestServer.Start(_files, TlsMode.None, access: o => o.ProxyTrusted.Add("127.0.0.1"));
        using var tcp = await server.ConnectAsync();
        var stream = tcp.GetStream();
        await stream.WriteAsync(ProxyV2(IPAddress.Parse("198.51.100.7"), 40000, IPAddress.Parse("203.0.113.1"), 993));
        await TestServer.WriteAsync(stream, "a1 NOOP\r\n");
        Assert.Equal("* OK ready", await TestServer.ReadLineAsync(stream));
        Assert.Equal("OK a1 NOOP", await TestServer.ReadLineAsync(stream));
        var connection = Assert.Single(server.Handler.Connections);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 40000), connection.RemoteEndPoint);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("203.0.113.1"), 993), connection.LocalEndPoint);
    }

    [Fact]
    public async Task Proxy_source_is_subject_to_the_deny_list()
    {
        await using var server = TestServer.Start(_files, TlsMode.None, access: o =>
        {
            o.ProxyTrusted.Add("127.0.0.1");
            o.Deny.Add("198.51.100.0/24");
        });
        using var tcp = await server.ConnectAsync();
        var stream = tcp.GetStream();
        await stream.WriteAsync(ProxyV2(IPAddress.Parse("198.51.100.7"), 40000, IPAddress.Parse("203.0.113.1"), 993));
        Assert.Empty(await TestServer.ReadToCloseAsync(stream));
        Assert.Contains(server.Observer.Refused, r => r.Reason == ConnectionRefusal.AccessDenied && r.Remote.Address.Equals(IPAddress.Parse("198.51.100.7")));
    }

    // I03: from an untrusted peer the header is not parsed; its bytes are protocol input.
    [Fact]
    public async Task Proxy_header_from_untrusted_peer_is_not_parsed()
    {
        await using var server = TestServer.Start(_files, TlsMode.None);
        using var tcp = await server.ConnectAsync();
        var stream = tcp.GetStream();
        Assert.Equal("* OK ready", await TestServer.ReadLineAsync(stream));
        await stream.WriteAsync(ProxyV2(IPAddress.Parse("198.51.100.7"), 40000, IPAddress.Parse("203.0.113.1"), 993));
        // The signature starts with CRLF CRLF NUL: two empty lines, then a NUL byte, which is a bad command.
        Assert.Equal("OK ", await TestServer.ReadLineAsync(stream));
        Assert.Equal("OK ", await TestServer.ReadLineAsync(stream));
        Assert.Equal("BAD NulByte", await TestServer.ReadLineAsync(stream));
        var connection = Assert.Single(server.Handler.Connections);
        Assert.Equal(IPAddress.Loopback, connection.RemoteEndPoint.Address);
    }

    [Theory]
    [InlineData("PROXY TCP4 198.51.100.7 203.0.113.1 40000 993\r\n")]
    [InlineData("a1 NOOP\r\n")]
    public async Task Malformed_proxy_header_from_trusted_peer_is_closed(string text)
    {
        await using var server = TestServer.Start(_files, TlsMode.None, access: o => o.ProxyTrusted.Add("127.0.0.1"));
        using var tcp = await server.ConnectAsync();
        var stream = tcp.GetStream();
        await TestServer.WriteAsync(stream, text.PadRight(20));
        Assert.Empty(await TestServer.ReadToCloseAsync(stream));
        Assert.Contains(server.Observer.Refused, r => r.Reason == ConnectionRefusal.BadProxyHeader);
    }

    internal static byte[] ProxyV2(IPAddress source, int sourcePort, IPAddress destination, int destinationPort)
    {
        var header = new byte[16 + 12];
        "\r\n\r\n\0\r\nQUIT\n"u8.CopyTo(header);
        header[12] = 0x21; // version 2, PROXY
        header[13] = 0x11; // AF_INET, STREAM
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), 12);
        source.TryWriteBytes(header.AsSpan(16), out _);
        destination.TryWriteBytes(header.AsSpan(20), out _);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(24), (ushort)sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(26), (ushort)destinationPort);
        return header;
    }
}
