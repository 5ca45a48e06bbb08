using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Rampart.Server.Tests.Kerberos;

/// <summary>
/// A real MIT Kerberos KDC for realm <see cref="Name"/> in a temporary directory: its own krb5.conf and kdc.conf
/// (KDC on 127.0.0.1 and a free port), database, principals, a service keytab, and <c>krb5kdc -n</c> running in the
/// foreground until disposed. Needs Debian's krb5-kdc, krb5-admin-server and krb5-user.
/// </summary>
public sealed class KerberosRealm : IDisposable
{
    /// <summary>The realm.</summary>
    public const string Name = "RAMPART.TEST";

    private readonly Process kdc;

    private KerberosRealm(string directory, Process kdc)
    {
        Directory = directory;
        this.kdc = kdc;
    }

    /// <summary>The temporary directory holding the configuration, database, keytab and caches.</summary>
    public string Directory { get; }

    /// <summary>The client configuration (<c>KRB5_CONFIG</c>).</summary>
    public string ConfigPath => Path.Combine(Directory, "krb5.conf");

    /// <summary>The service keytab: the keys of <c>imap/localhost</c> and <c>pop/localhost</c>, nothing else.</summary>
    public string KeytabPath => Path.Combine(Directory, "mail.keytab");

    /// <summary>
    /// Creates the realm with the users <paramref name="users"/> (name and password), the service principals
    /// <paramref name="services"/> (in the keytab) and <paramref name="otherServices"/> (known to the KDC, not in the
    /// keytab: a wrong SPN), and starts the KDC.
    /// </summary>
    public static async Task<KerberosRealm> StartAsync(IEnumerable<(string Name, string Password)> users, IReadOnlyList<string> services, IEnumerable<string> otherServices)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("rampart-krb5-").FullName;
        var port = FreePort();
        await File.WriteAllTextAsync(Path.Combine(directory, "krb5.conf"), $$"""
            [libdefaults]
              default_realm = {{Name}}
              dns_lookup_realm = false
              dns_lookup_kdc = false
              dns_canonicalize_hostname = false
              rdns = false
              kdc_timesync = 0
            [realms]
              {{Name}} = {
                kdc = 127.0.0.1:{{port}}
              }
            """);
        await File.WriteAllTextAsync(Path.Combine(directory, "kdc.conf"), $$"""
            [kdcdefaults]
              kdc_listen = 127.0.0.1:{{port}}
              kdc_tcp_listen = 127.0.0.1:{{port}}
            [realms]
              {{Name}} = {
                database_name = {{directory}}/principal
                key_stash_file = {{directory}}/stash
                acl_file = {{directory}}/kadm5.acl
              }
            [logging]
              kdc = FILE:{{directory}}/kdc.log
            """);
        var environment = Environment(directory);
        await RunAsync("kdb5_util", ["create", "-s", "-P", "master-" + Guid.NewGuid().ToString("N"), "-r", Name], environment);
        foreach (var (user, password) in users)
        {
            await RunAsync("kadmin.local", ["-q", $"addprinc -pw {password} {user}"], environment);
        }

        foreach (var service in services.Concat(otherServices))
        {
            await RunAsync("kadmin.local", ["-q", $"addprinc -randkey {service}"], environment);
        }

        await RunAsync("kadmin.local", ["-q", $"ktadd -k {Path.Combine(directory, "mail.keytab")} {string.Join(' ', services)}"], environment);
        var info = new ProcessStartInfo("krb5kdc") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-n");
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var kdc = Process.Start(info) ?? throw new InvalidOperationException("could not start krb5kdc");
        kdc.OutputDataReceived += (_, _) => { };
        kdc.ErrorDataReceived += (_, _) => { };
        kdc.BeginOutputReadLine();
        kdc.BeginErrorReadLine();
        var realm = new KerberosRealm(directory, kdc);
        await realm.WaitForKdcAsync(port);
        return realm;
    }

    /// <summary>Gets <paramref name="user"/> a ticket-granting ticket in a new cache; returns the cache (<c>KRB5CCNAME</c>).</summary>
    public async Task<string> KinitAsync(string user, string password)
    {
        var cache = "FILE:" + Path.Combine(Directory, "cc-" + user.Replace('/', '_') + "-" + Guid.NewGuid().ToString("N")[..8]);
        var environment = ClientEnvironment(cache);
        await RunAsync("kinit", [user], environment, password + "\n");
        return cache;
    }

    /// <summary>The variables a client process needs: this realm's configuration and the ticket cache.</summary>
    public Dictionary<string, string> ClientEnvironment(string cache) => new(Environment(Directory)) { ["KRB5CCNAME"] = cache };

    /// <summary>The variables the server process needs: this realm's configuration, and a replay cache of its own.</summary>
    public Dictionary<string, string> ServerEnvironment() => new() { ["KRB5_CONFIG"] = ConfigPath, ["KRB5RCACHEDIR"] = Directory };

    public void Dispose()
    {
        if (!kdc.HasExited)
        {
            kdc.Kill();
            kdc.WaitForExit();
        }

        kdc.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static Dictionary<string, string> Environment(string directory) => new()
    {
        ["KRB5_CONFIG"] = Path.Combine(directory, "krb5.conf"),
        ["KRB5_KDC_PROFILE"] = Path.Combine(directory, "kdc.conf"),
    };

    private async Task WaitForKdcAsync(int port)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !kdc.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>A port free for both TCP and UDP on 127.0.0.1 (the KDC listens on both).</summary>
    private static int FreePort()
    {
        while (true)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            try
            {
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }

    /// <summary>Runs a command to completion; fails with its output when it exits non-zero.</summary>
    internal static async Task<(string Output, string Error)> RunAsync(string file, IEnumerable<string> args, IDictionary<string, string> environment, string? input = null, bool check = true)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + file);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input ?? string.Empty);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var (stdout, stderr) = (await output, await error);
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{file} {string.Join(' ', info.ArgumentList)} exited {process.ExitCode}: {stdout}{stderr}"));
        }

        return (stdout, stderr);
    }
}
