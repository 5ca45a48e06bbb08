using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MailKit.Net.Pop3;
using MailKit.Security;

namespace Rampart.Pop3.Tests.Interop;

#pragma warning disable CA5351 // APOP (RFC 1939 §7) is defined with MD5: this is its client side.

/// <summary>
/// APOP end to end on a <c>rampart serve</c> with <c>Security:LegacyMechanisms</c> on: <c>rampart user legacy enable</c>
/// opts one account in (its password on standard input, checked), MailKit logs in with APOP, USER/PASS is refused for
/// that account, failures go through the guard and the audit log with mechanism APOP, and <c>disable</c> turns it off.
/// </summary>
public sealed class ApopServeTests : IAsyncLifetime
{
    private const string Password = "Tr0ub4dor&3-Horse";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "rampart-pop3-apop-" + Guid.NewGuid().ToString("N")[..12]);
    private RampartProcess? _process;
    private int _port;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_data);
        foreach (var account in new[] { "apopuser", "plainuser" })
        {
            Assert.Equal(0, (await RampartProcess.RunAsync(Password + "\n", "user", "add", account, "--password-stdin", "--data", _data)).ExitCode);
            Assert.Equal(0, (await RampartProcess.RunAsync("Subject: hi\n\nhello\n", "deliver", "--to", account, "--data", _data)).ExitCode);
        }

        var wrong = await RampartProcess.RunAsync("Not-the-password-1\n", "user", "legacy", "enable", "apopuser", "--mechanism", "apop", "--data", _data);
        Assert.Equal(65, wrong.ExitCode);
        Assert.Contains("not the account's current password", wrong.Error, StringComparison.Ordinal);
        var enabled = await RampartProcess.RunAsync(Password + "\n", "user", "legacy", "enable", "apopuser", "--mechanism", "apop", "--password-stdin", "--data", _data);
        Assert.True(enabled.ExitCode == 0, enabled.Error);
        Assert.Contains("APOP on", enabled.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, enabled.Output + enabled.Error, StringComparison.Ordinal);

        _process = RampartProcess.Start(["serve", "--data", _data], new Dictionary<string, string>
        {
            ["RAMPART__Listeners__imaps__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__pop3s__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__submissions__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__HostName"] = "localhost",
            ["RAMPART__Security__LegacyMechanisms"] = "true",
        });
        var line = _process.WaitForLine(l => l.Contains("listening pop3s", StringComparison.Ordinal));
        _port = int.Parse(line[(line.LastIndexOf(':') + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task DisposeAsync()
    {
        _process?.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task MailKit_logs_in_with_apop_user_pass_is_refused_for_that_account_and_disable_turns_it_off()
    {
        using (var log = new MemoryStream())
        {
            using (var client = MailKitTests.NewClient(log))
            {
                await client.ConnectAsync("127.0.0.1", _port, SecureSocketOptions.SslOnConnect);
                Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.Apop));
                Assert.Contains("CRAM-MD5", client.AuthenticationMechanisms);
                client.AuthenticationMechanisms.Clear(); // APOP first, as MailKit does when the greeting has a timestamp
                await client.AuthenticateAsync("apopuser", Password);
                Assert.Equal(1, client.Count);
                await client.DisconnectAsync(quit: true);
            }

            var sent = Encoding.UTF8.GetString(log.ToArray());
            Assert.True(sent.Contains("C: APOP ", StringComparison.Ordinal), sent);
        }

        // By hand: USER/PASS with the right password is refused for the APOP account, a wrong digest too; the
        // account without APOP logs in with USER/PASS.
        await using (var raw = await RawClient.ConnectAsync(_port))
        {
            var timestamp = raw.Greeting[raw.Greeting.LastIndexOf('<')..];
            Assert.Equal("-ERR [AUTH] Authentication failed", await raw.CommandAsync("USER apopuser") is "+OK Send PASS" ? await raw.CommandAsync("PASS " + Password) : "USER refused");
            Assert.Equal("-ERR [AUTH] Authentication failed", await raw.CommandAsync("APOP apopuser " + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(timestamp + "wrong")))));
            Assert.Equal("+OK Send PASS", await raw.CommandAsync("USER plainuser"));
            Assert.StartsWith("+OK Logged in", await raw.CommandAsync("PASS " + Password), StringComparison.Ordinal);
        }

        // The attempts are in the audit log with mechanism APOP, and no secret is.
        var audit = Path.Combine(_data, "audit", Rampart.Monitoring.Audit.AuditChain.CurrentFileName);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        string text;
        while (!(text = File.Exists(audit) ? await File.ReadAllTextAsync(audit) : "").Contains("\"APOP\"", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Contains("\"APOP\"", text, StringComparison.Ordinal);
        Assert.Contains("apopuser", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);

        var disabled = await RampartProcess.RunAsync("", "user", "legacy", "disable", "apopuser", "--mechanism", "all", "--data", _data);
        Assert.True(disabled.ExitCode == 0, disabled.Error);
        await using var after = await RawClient.ConnectAsync(_port);
        var stamp = after.Greeting[after.Greeting.LastIndexOf('<')..];
        Assert.Equal("-ERR [AUTH] Authentication failed", await after.CommandAsync("APOP apopuser " + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(stamp + Password)))));
        Assert.Equal("+OK Send PASS", await after.CommandAsync("USER apopuser"));
        Assert.StartsWith("+OK Logged in", await after.CommandAsync("PASS " + Password), StringComparison.Ordinal);
    }

    /// <summary>A line-at-a-time POP3 client over TLS, for what MailKit will not send.</summary>
    private sealed class RawClient : IAsyncDisposable
    {
        private readonly TcpClient _tcp;
        private readonly SslStream _tls;
        private readonly StreamReader _reader;

        private RawClient(TcpClient tcp, SslStream tls)
        {
            _tcp = tcp;
            _tls = tls;
            _reader = new StreamReader(tls, Encoding.UTF8);
        }

        public string Greeting { get; private set; } = "";

        public static async Task<RawClient> ConnectAsync(int port)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", port);
            var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
            await tls.AuthenticateAsClientAsync("localhost");
            var client = new RawClient(tcp, tls);
            client.Greeting = (await client._reader.ReadLineAsync())!;
            return client;
        }

        public async Task<string> CommandAsync(string line)
        {
            await _tls.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"));
            return (await _reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)))!;
        }

        public async ValueTask DisposeAsync()
        {
            await _tls.DisposeAsync();
            _tcp.Dispose();
        }
    }
}
