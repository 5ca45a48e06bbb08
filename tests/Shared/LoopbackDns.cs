using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Rampart.Testing;

/// <summary>The records a <see cref="LoopbackDns"/> serves. Names are absolute without the trailing dot
/// (<c>example.com</c>); every name not given answers NXDOMAIN, every type not given on a given name NODATA.</summary>
internal sealed class DnsZone
{
    private readonly List<string> arguments = [];
    private readonly Dictionary<string, List<string>> hosts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A TXT record. A value longer than 255 bytes is split into 255-byte character-strings, as
    /// publishers of long SPF and DKIM records do (RFC 7208 §3.3, RFC 6376 §3.6.2.2).</summary>
    public DnsZone Txt(string name, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var parts = new List<string>();
        for (var i = 0; i < bytes.Length || parts.Count == 0; i += 255)
        {
            parts.Add(Encoding.UTF8.GetString(bytes, i, Math.Min(255, bytes.Length - i)));
        }

        return TxtStrings(name, [.. parts]);
    }

    /// <summary>A TXT record made of exactly these character-strings (each at most 255 bytes).</summary>
    public DnsZone TxtStrings(string name, params string[] strings)
    {
        // The configuration file's quoting: backslash escapes a quote or a backslash; line breaks cannot be carried.
        if (strings.Any(s => s.Contains('\n', StringComparison.Ordinal) || s.Contains('\r', StringComparison.Ordinal)))
        {
            throw new ArgumentException("a TXT string for dnsmasq cannot hold a line break", nameof(strings));
        }

        var quoted = strings.Select(s => '"' + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + '"');
        arguments.Add($"txt-record={Check(name)},{string.Join(',', quoted)}");
        return this;
    }

    /// <summary>An MX record.</summary>
    public DnsZone Mx(string name, string exchange, int preference = 10)
    {
        arguments.Add(string.Create(CultureInfo.InvariantCulture, $"mx-host={Check(name)},{Check(exchange)},{preference}"));
        return this;
    }

    /// <summary>An A record (and, as dnsmasq does for host records, the matching PTR record).</summary>
    public DnsZone A(string name, string address) => Address(name, address, AddressFamily.InterNetwork);

    /// <summary>An AAAA record (and the matching PTR record).</summary>
    public DnsZone Aaaa(string name, string address) => Address(name, address, AddressFamily.InterNetworkV6);

    /// <summary>A CNAME record: <paramref name="alias"/> points at <paramref name="target"/>, which must be a name this
    /// zone holds (dnsmasq only serves CNAMEs to local names).</summary>
    public DnsZone Cname(string alias, string target)
    {
        arguments.Add($"cname={Check(alias)},{Check(target)}");
        return this;
    }

    /// <summary>A PTR record for <paramref name="address"/> alone (no forward record).</summary>
    public DnsZone Ptr(string address, string target)
    {
        var reverse = IPAddress.Parse(address).AddressFamily == AddressFamily.InterNetwork
            ? string.Join('.', address.Split('.').Reverse()) + ".in-addr.arpa"
            : string.Join('.', Convert.ToHexStringLower(IPAddress.Parse(address).GetAddressBytes()).Reverse()) + ".ip6.arpa";
        arguments.Add($"ptr-record={reverse},{Check(target)}");
        return this;
    }

    /// <summary>A TLSA record (RFC 6698): usage, selector, matching type and the association data in hex.</summary>
    public DnsZone Tlsa(string name, byte usage, byte selector, byte matchingType, string associationHex) =>
        Raw(name, 52, Convert.ToHexString([usage, selector, matchingType]) + associationHex);

    /// <summary>Any record type given as its number and its RDATA in hex.</summary>
    public DnsZone Raw(string name, int type, string rdataHex)
    {
        _ = Convert.FromHexString(rdataHex);
        arguments.Add(string.Create(CultureInfo.InvariantCulture, $"dns-rr={Check(name)},{type},{rdataHex}"));
        return this;
    }

    /// <summary>The lines of a dnsmasq configuration file (a file rather than arguments: dnsmasq only honours quotes,
    /// and so commas and spaces inside TXT strings, in its configuration file).</summary>
    internal IEnumerable<string> Lines =>
        arguments.Concat(hosts.Select(h => $"host-record={h.Key},{string.Join(',', h.Value)}"));

    private DnsZone Address(string name, string address, AddressFamily family)
    {
        if (IPAddress.Parse(address).AddressFamily != family)
        {
            throw new ArgumentException($"{address} is not an {family} address", nameof(address));
        }

        if (!hosts.TryGetValue(Check(name), out var list))
        {
            hosts[name] = list = [];
        }

        list.Add(address);
        return this;
    }

    private static string Check(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '*')
            ? name
            : throw new ArgumentException($"not a DNS name dnsmasq can take: '{name}'", nameof(name));
}

/// <summary>A real DNS server for tests: dnsmasq (Debian package dnsmasq-base) on 127.0.0.1 and a free UDP+TCP port,
/// with no upstream and no /etc/hosts, serving only the records of one <see cref="DnsZone"/>. Tests point DnsClient
/// at <see cref="Endpoint"/>; nothing here mocks DNS.</summary>
internal sealed class LoopbackDns : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    private readonly string directory;

    private LoopbackDns(Process process, IPEndPoint endpoint, string directory)
    {
        this.process = process;
        this.directory = directory;
        Endpoint = endpoint;
    }

    /// <summary>Where the server listens (UDP and TCP).</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>dnsmasq's log so far (one line per query), for assertion messages.</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    /// <summary>Starts dnsmasq serving <paramref name="zone"/> and returns once it answers on TCP.</summary>
    public static async Task<LoopbackDns> StartAsync(DnsZone zone, CancellationToken cancellationToken = default)
    {
        var executable = new[] { "/usr/sbin/dnsmasq", "/usr/bin/dnsmasq" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("dnsmasq is not installed (apt-get install dnsmasq-base)");
        for (var attempt = 0; ; attempt++)
        {
            var directory = Directory.CreateTempSubdirectory("rampart-dns-");
            var configuration = Path.Combine(directory.FullName, "zone.conf");
            await File.WriteAllLinesAsync(configuration, zone.Lines, cancellationToken).ConfigureAwait(false);
            var port = FreePort();
            var info = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[]
            {
                "--keep-in-foreground", "--no-resolv", "--no-hosts", $"--conf-file={configuration}", "--bind-interfaces",
                "--listen-address=127.0.0.1", $"--port={port}", "--user=root", "--pid-file=",
                // Every name this server does not hold is NXDOMAIN, not REFUSED: SPF void lookups need that.
                "--local=/#/", "--log-queries", "--log-facility=-", "--cache-size=0",
            })
            {
                info.ArgumentList.Add(a);
            }

            var process = Process.Start(info) ?? throw new InvalidOperationException("dnsmasq did not start");
            var dns = new LoopbackDns(process, new IPEndPoint(IPAddress.Loopback, port), directory.FullName);
            process.OutputDataReceived += (_, e) => dns.Append(e.Data);
            process.ErrorDataReceived += (_, e) => dns.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (await dns.WaitReadyAsync(cancellationToken).ConfigureAwait(false))
            {
                return dns;
            }

            await dns.DisposeAsync().ConfigureAwait(false);
            if (attempt == 4)
            {
                throw new InvalidOperationException("dnsmasq did not start: " + dns.Log);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync().ConfigureAwait(false);
        }

        process.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temporary folder; nothing depends on it any more.
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }

    private async Task<bool> WaitReadyAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < 200; i++)
        {
            if (process.HasExited)
            {
                return false;
            }

            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(Endpoint, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }

        return false;
    }

    // A port free for both UDP and TCP at this moment; a race with another process is retried by StartAsync.
    private static int FreePort()
    {
        while (true)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for TCP: try another.
            }
        }
    }
}
