using System.Globalization;
using System.Text.RegularExpressions;

namespace Rampart.Server.Tests.Kerberos;

/// <summary>
/// A Kerberos realm (<see cref="KerberosRealm"/>) and <c>rampart serve</c> configured for GSSAPI against it
/// (<c>Security:Gssapi:Realm</c> and <c>Keytab</c>), with the accounts alice and bob, a message in alice's INBOX, and a
/// ticket cache holding alice's TGT.
/// </summary>
public partial class GssapiServerFixture : IAsyncLifetime
{
    public const string AliceSubject = "Subject: for alice";
    public const string BobSubject = "Subject: for bob";
    private const string Password = "Correct-Horse-Battery-9";
    private readonly string data = Path.Combine(Path.GetTempPath(), "rampart-gssapi-" + Guid.NewGuid().ToString("N")[..8]);

    public KerberosRealm Realm { get; private set; } = null!;

    public RampartProcess Server { get; private set; } = null!;

    public int ImapsPort { get; private set; }

    public int Pop3sPort { get; private set; }

    /// <summary>alice's ticket cache.</summary>
    public string AliceCache { get; private set; } = null!;

    public string AuditLog => Path.Combine(data, "audit", Rampart.Monitoring.Audit.AuditChain.CurrentFileName);

    /// <summary>More settings for the server, for fixtures that change the defaults.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> ExtraSettings => [];

    public async Task InitializeAsync()
    {
        Realm = await KerberosRealm.StartAsync(
            [("alice", "alice-kerberos-pw"), ("bob", "bob-kerberos-pw"), ("carol", "carol-kerberos-pw"), ("alice/admin", "admin-kerberos-pw"), ("robert", "robert-kerberos-pw")],
            ["imap/localhost", "pop/localhost"],
            ["imap/otherhost"]);
        AliceCache = await Realm.KinitAsync("alice", "alice-kerberos-pw");
        foreach (var user in new[] { "alice", "bob" })
        {
            var added = await RampartProcess.RunAsync(Password + "\n", "user", "add", user, "--password-stdin", "--data", data);
            Assert.True(added.ExitCode == 0, added.Error);
        }

        foreach (var (user, subject) in new[] { ("alice", AliceSubject), ("bob", BobSubject) })
        {
            var delivered = await RampartProcess.RunAsync(subject + "\r\n\r\nhello\r\n", "deliver", "--to", user, "--data", data);
            Assert.True(delivered.ExitCode == 0, delivered.Error);
        }

        var environment = new Dictionary<string, string>(Realm.ServerEnvironment())
        {
            ["RAMPART__HostName"] = "localhost",
            ["RAMPART__Listeners__imaps__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__pop3s__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__submissions__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Security__Gssapi__Realm"] = KerberosRealm.Name,
            ["RAMPART__Security__Gssapi__Keytab"] = Realm.KeytabPath,
            // An explicit mapping: the principal robert is the account bob.
            ["RAMPART__Security__Gssapi__Principals__robert@" + KerberosRealm.Name] = "bob",
        };
        foreach (var (key, value) in ExtraSettings)
        {
            environment[key] = value;
        }

        Server = RampartProcess.Start(["serve", "--data", data], environment);
        ImapsPort = Port(Server.WaitForLine(l => l.Contains("listening imaps", StringComparison.Ordinal)));
        Pop3sPort = Port(Server.WaitForLine(l => l.Contains("listening pop3s", StringComparison.Ordinal)));
    }

    /// <summary>Runs the Python GSSAPI client with alice's tickets (or <paramref name="cache"/>); <paramref name="faketime"/>
    /// shifts its clock with libfaketime (e.g. <c>+1h</c>).</summary>
    public async Task<string> ClientAsync(string protocol, string service, string host, string authzid = "", string extra = "", string? faketime = null, string? cache = null)
    {
        var script = Path.Combine(Realm.Directory, "gssapi-client.py");
        if (!File.Exists(script))
        {
            await File.WriteAllTextAsync(script, GssapiPythonClient.Script);
        }

        var port = (protocol == "imap" ? ImapsPort : Pop3sPort).ToString(CultureInfo.InvariantCulture);
        string[] args = [script, protocol, port, service, host, authzid, extra];
        var (output, error) = faketime is null
            ? await KerberosRealm.RunAsync(GssapiPythonClient.Python, args, Realm.ClientEnvironment(cache ?? AliceCache), check: false)
            : await KerberosRealm.RunAsync("faketime", ["-f", faketime, GssapiPythonClient.Python, .. args], Realm.ClientEnvironment(cache ?? AliceCache), check: false);
        return output + error;
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            Server.Signal("TERM");
            await Server.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Server.Dispose();
        }

        Realm?.Dispose();
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static int Port(string listeningLine) => int.Parse(PortPattern().Match(listeningLine).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@":(\d+)\b")]
    private static partial Regex PortPattern();
}
