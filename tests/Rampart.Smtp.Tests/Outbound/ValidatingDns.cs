using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Rampart.Smtp.Tests.Outbound;

/// <summary>A real DNSSEC chain on loopback for the DANE tests: a zone signed with <c>ldns-signzone</c> (Debian's
/// ldnsutils), served by NSD, and Unbound as the validating resolver in front of it with the zone's key-signing key as
/// its trust anchor. Answers from the signed zone carry the AD bit because Unbound validated them, exactly as a
/// production resolver would; nothing here fakes the bit.</summary>
internal sealed class ValidatingDns : IAsyncDisposable
{
    private readonly List<Process> processes = [];
    private readonly StringBuilder log = new();
    private readonly string directory;

    private ValidatingDns(string directory) => this.directory = directory;

    /// <summary>Unbound's address (UDP and TCP).</summary>
    public IPEndPoint Endpoint { get; private set; } = null!;

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

    /// <summary>Signs a zone for <paramref name="origin"/> holding <paramref name="records"/> (zone-file lines with
    /// absolute names, e.g. <c>example.test. MX 10 mx1.example.test.</c>), serves it and starts the validator.</summary>
    public static Task<ValidatingDns> StartAsync(string origin, params string[] records) => StartAsync(origin, records, null, []);

    /// <summary>As <see cref="StartAsync(string, string[])"/>, plus an unsigned zone <paramref name="insecureOrigin"/>
    /// served next to it: Unbound has no trust anchor for it, so its answers are insecure (no AD bit), as an unsigned
    /// zone on the Internet is.</summary>
    public static async Task<ValidatingDns> StartAsync(string origin, string[] records, string? insecureOrigin, string[] insecureRecords)
    {
        var dns = new ValidatingDns(Directory.CreateTempSubdirectory("rampart-dnssec-").FullName);
        try
        {
            await dns.StartCoreAsync(origin, records, insecureOrigin, insecureRecords);
            return dns;
        }
        catch
        {
            await dns.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes)
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string ZoneText(string origin, string[] records)
    {
        var zone = new StringBuilder()
            .AppendLine($"$ORIGIN {origin}.")
            .AppendLine("$TTL 60")
            .AppendLine($"@ IN SOA ns.{origin}. hostmaster.{origin}. 1 3600 600 86400 60")
            .AppendLine($"@ IN NS ns.{origin}.")
            .AppendLine("ns IN A 127.0.0.1");
        foreach (var record in records)
        {
            zone.AppendLine(record);
        }

        return zone.ToString();
    }

    private async Task StartCoreAsync(string origin, string[] records, string? insecureOrigin, string[] insecureRecords)
    {
        await File.WriteAllTextAsync(Path.Combine(directory, "zone"), ZoneText(origin, records));
        var insecureNsd = "";
        var insecureUnbound = "";
        if (insecureOrigin is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "insecure.zone"), ZoneText(insecureOrigin, insecureRecords));
            insecureNsd = $"""

                zone:
                  name: {insecureOrigin}
                  zonefile: insecure.zone
                """;
        }

        var ksk = (await RunAsync("ldns-keygen", "-a", "ECDSAP256SHA256", "-k", origin)).Trim();
        var zsk = (await RunAsync("ldns-keygen", "-a", "ECDSAP256SHA256", origin)).Trim();
        await RunAsync("ldns-signzone", "-o", origin + ".", "zone", ksk, zsk);

        var nsdPort = FreePort();
        await File.WriteAllTextAsync(Path.Combine(directory, "nsd.conf"), $"""
            server:
              ip-address: 127.0.0.1
              port: {nsdPort}
              username: ""
              chroot: ""
              zonesdir: "{directory}"
              pidfile: ""
              database: ""
              zonelistfile: "{directory}/zone.list"
              xfrdfile: "{directory}/xfrd.state"
              xfrdir: "{directory}"
              server-count: 1
              verbosity: 1
            remote-control:
              control-enable: no
            zone:
              name: {origin}
              zonefile: zone.signed
            """ + insecureNsd);
        Spawn("/usr/sbin/nsd", "-d", "-c", Path.Combine(directory, "nsd.conf"));
        await WaitForTcpAsync(nsdPort);

        if (insecureOrigin is not null)
        {
            insecureUnbound = $"""

                stub-zone:
                  name: "{insecureOrigin}"
                  stub-addr: 127.0.0.1@{nsdPort}
                """;
        }

        var unboundPort = FreePort();
        await File.WriteAllTextAsync(Path.Combine(directory, "unbound.conf"), $"""
            server:
              interface: 127.0.0.1
              port: {unboundPort}
              username: ""
              chroot: ""
              directory: "{directory}"
              pidfile: ""
              use-syslog: no
              do-not-query-localhost: no
              trust-anchor-file: "{directory}/{ksk}.key"
              local-zone: "test." nodefault
              module-config: "validator iterator"
              num-threads: 1
              so-reuseport: no
              root-hints: ""
              verbosity: 1
            remote-control:
              control-enable: no
            stub-zone:
              name: "{origin}"
              stub-addr: 127.0.0.1@{nsdPort}
            """ + insecureUnbound);
        Spawn("/usr/sbin/unbound", "-d", "-c", Path.Combine(directory, "unbound.conf"));
        await WaitForTcpAsync(unboundPort);
        Endpoint = new IPEndPoint(IPAddress.Loopback, unboundPort);
    }

    private void Spawn(string executable, params string[] arguments)
    {
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is not installed (apt-get install nsd unbound ldnsutils)");
        }

        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        processes.Add(process);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private async Task<string> RunAsync(string executable, params string[] arguments)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{executable} failed: {error}");
    }

    private async Task WaitForTcpAsync(int port)
    {
        for (var i = 0; i < 200; i++)
        {
            if (processes.Any(p => p.HasExited))
            {
                break;
            }

            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"the DNS server on port {port} did not start: {Log}");
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

    // A port free for UDP and TCP at this moment.
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
            }
        }
    }
}
