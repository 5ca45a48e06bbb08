using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Rampart.Security.Credentials;
using Rampart.Security.Passwords;
using Rampart.Server.Accounts;
using Rampart.Server.Cli;
using Rampart.Store.Sqlite;

namespace Rampart.Server.Tests.Serve;

/// <summary><c>rampart serve</c> as a real process on loopback: first start, restart, clean stop, and its error paths.</summary>
public sealed partial class ServeCommandTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "rampart-serve-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Every default-on listener moved to an ephemeral loopback port.</summary>
    private static Dictionary<string, string> LoopbackPorts() => new()
    {
        ["RAMPART__Listeners__imaps__Endpoint"] = "127.0.0.1:0",
        ["RAMPART__Listeners__pop3s__Endpoint"] = "127.0.0.1:0",
        ["RAMPART__Listeners__submissions__Endpoint"] = "127.0.0.1:0",
        ["RAMPART__HostName"] = "mail.test",
    };

    [Fact]
    public async Task First_start_creates_everything_prints_the_account_once_and_stops_cleanly_on_sigterm()
    {
        string password;
        int imapsPort;
        using (var server = RampartProcess.Start(["serve", "--data", data], LoopbackPorts()))
        {
            imapsPort = Port(server.WaitForLine(l => l.Contains("listening imaps", StringComparison.Ordinal)));
            server.WaitForLine(l => l.Contains("listening pop3s", StringComparison.Ordinal));
            server.WaitForLine(l => l.Contains("listening submissions", StringComparison.Ordinal));
            Assert.Equal("admin", server.WaitForLine(l => l.Contains("account:", StringComparison.Ordinal)).Split(':', 2)[1].Trim());
            password = server.WaitForLine(l => l.Contains("password:", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
            server.WaitForLine(l => l.Contains($"openssl s_client -quiet -connect 127.0.0.1:{imapsPort}", StringComparison.Ordinal));
            server.WaitForLine(l => l.Contains($"curl --insecure --user 'admin:{password}' imaps://127.0.0.1:{imapsPort}/", StringComparison.Ordinal));

            // After TLS, the listener greets in its protocol (never PREAUTH), and never in plaintext before it.
            var greeting = await ReadGreetingOverTlsAsync(imapsPort);
            Assert.StartsWith("* OK [CAPABILITY ", greeting, StringComparison.Ordinal);
            Assert.DoesNotContain("PREAUTH", greeting, StringComparison.Ordinal);

            server.Signal("TERM");
            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("rampart stopped", server.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(password, server.Errors, StringComparison.Ordinal);
        }

        Assert.True(File.Exists(Path.Combine(data, "tls", "cert.pem")) || Directory.EnumerateFiles(Path.Combine(data, "tls")).Any());
        Assert.True(File.Exists(Path.Combine(data, "server.key")));

        // The printed password is the account's: it verifies against the stored credential (and is stored only as a hash).
        await using (var store = await SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = data }))
        {
            var credentials = new AccountCredentials(store);
            var authenticator = new PasswordAuthenticator(credentials, new PasswordHasher());
            Assert.True((await authenticator.CheckAsync("admin", password, CancellationToken.None)).Succeeded);
            Assert.False((await authenticator.CheckAsync("admin", password + "x", CancellationToken.None)).Succeeded);
        }

        foreach (var file in Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(Encoding.UTF8.GetBytes(password), File.ReadAllBytes(file));
        }

        // A second start keeps the account and prints no password.
        using (var again = RampartProcess.Start(["serve", "--data", data], LoopbackPorts()))
        {
            var againPort = Port(again.WaitForLine(l => l.Contains("listening imaps", StringComparison.Ordinal)));
            again.WaitForLine(l => l.Contains("listening submissions", StringComparison.Ordinal));

            // Serving (a greeting over TLS), then SIGTERM. Not SIGINT: a process started from a background job inherits
            // SIGINT ignored (POSIX), and CI runs this suite as one, so the signal would never arrive.
            Assert.StartsWith("* OK [CAPABILITY ", await ReadGreetingOverTlsAsync(againPort), StringComparison.Ordinal);
            again.Signal("TERM");
            Assert.Equal(0, await again.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.DoesNotContain("password:", again.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_port_in_use_fails_with_one_clear_line_and_exit_69()
    {
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port;
        var environment = LoopbackPorts();
        environment["RAMPART__Listeners__pop3s__Endpoint"] = $"127.0.0.1:{port}";
        using var server = RampartProcess.Start(["serve", "--data", data], environment);
        Assert.Equal(ExitCodes.Unavailable, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"pop3s: cannot listen on 127.0.0.1:{port}", server.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("password:", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_certificate_fails_with_exit_78()
    {
        Directory.CreateDirectory(data);
        var cert = Path.Combine(data, "bad-cert.pem");
        var key = Path.Combine(data, "bad-key.pem");
        await File.WriteAllTextAsync(cert, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        await File.WriteAllTextAsync(key, "garbage");
        var environment = LoopbackPorts();
        environment["RAMPART__Tls__CertificatePath"] = cert;
        environment["RAMPART__Tls__KeyPath"] = key;
        using var server = RampartProcess.Start(["serve", "--data", data], environment);
        Assert.Equal(ExitCodes.Config, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("bad-cert.pem", server.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_path_that_is_a_file_fails_with_exit_73()
    {
        await File.WriteAllTextAsync(data, "not a directory");
        try
        {
            using var server = RampartProcess.Start(["serve", "--data", data], LoopbackPorts());
            Assert.Equal(ExitCodes.CannotCreate, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("is a file, not a directory", server.Errors, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(data);
        }
    }

    [Fact]
    public async Task Plaintext_on_the_implicit_tls_port_gets_no_plaintext_answer()
    {
        using var server = RampartProcess.Start(["serve", "--data", data], LoopbackPorts());
        var port = Port(server.WaitForLine(l => l.Contains("listening imaps", StringComparison.Ordinal)));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync("a1 CAPABILITY\r\n"u8.ToArray());
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        int read;
        try
        {
            read = await stream.ReadAsync(buffer, timeout.Token);
        }
        catch (IOException)
        {
            read = 0;
        }

        var text = Encoding.ASCII.GetString(buffer, 0, read);
        Assert.DoesNotContain("BYE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("OK", text, StringComparison.Ordinal);
    }

    private static async Task<string> ReadGreetingOverTlsAsync(int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(client.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "mail.test",
            ApplicationProtocols = [new SslApplicationProtocol("imap")],
        });
        using var reader = new StreamReader(tls, Encoding.ASCII);
        return await reader.ReadLineAsync() ?? string.Empty;
    }

    private static int Port(string listeningLine) => int.Parse(PortPattern().Match(listeningLine).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@":(\d+)\b")]
    private static partial Regex PortPattern();
}
