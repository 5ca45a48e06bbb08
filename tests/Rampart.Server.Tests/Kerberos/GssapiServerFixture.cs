using System.Globalization;

namespace Rampart.Server.Tests.Kerberos;

/// <summary>
/// A Kerberos realm (<see cref="KerberosRealm"/>) and <c>rampart serve</c> (<see cref="ServeFixture"/>) configured for
/// GSSAPI against it (<c>Security:Gssapi:Realm</c> and <c>Keytab</c>), with the accounts alice and bob, a message in
/// alice's INBOX, and a ticket cache holding alice's TGT.
/// </summary>
public class GssapiServerFixture : IAsyncLifetime
{
    public const string AliceSubject = "Subject: for alice";
    public const string BobSubject = "Subject: for bob";
    private const string Password = "Correct-Horse-Battery-9";
    private readonly ServeFixture serve = new("gssapi");

    public KerberosRealm Realm { get; private set; } = null!;

    public RampartProcess Server { get; private set; } = null!;

    public int ImapsPort { get; private set; }

    public int Pop3sPort { get; private set; }

    /// <summary>alice's ticket cache.</summary>
    public string AliceCache { get; private set; } = null!;

    public string AuditLog => serve.AuditPath;

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
            serve.AddUser(user, Password);
        }

        foreach (var (user, subject) in new[] { ("alice", AliceSubject), ("bob", BobSubject) })
        {
            await serve.CliAsync(subject + "\r\n\r\nhello\r\n", "deliver", "--to", user);
        }

        foreach (var (key, value) in Realm.ServerEnvironment())
        {
            serve.Environment[key] = value;
        }

        serve.Set("HostName", "localhost")
            .Set("Security:Gssapi:Realm", KerberosRealm.Name)
            .Set("Security:Gssapi:Keytab", Realm.KeytabPath)
            // An explicit mapping: the principal robert is the account bob.
            .Set("Security:Gssapi:Principals:robert@" + KerberosRealm.Name, "bob");
        foreach (var (key, value) in ExtraSettings)
        {
            serve.Environment[key] = value;
        }

        serve.Start("imaps", "pop3s");
        Server = serve.Process;
        ImapsPort = serve.Ports["imaps"];
        Pop3sPort = serve.Ports["pop3s"];
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
        }

        serve.Dispose();
        Realm?.Dispose();
    }
}
