using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rampart.Monitoring.Audit;
using Rampart.Server.Monitoring;

namespace Rampart.Server.Tests.Monitoring;

/// <summary>Monitoring inside a real <c>rampart serve</c>: sessions over the control socket, <c>/metrics</c> on the
/// admin listener, and the audit trail it leaves.</summary>
public sealed partial class ServeMonitoringTests
{
    private static Dictionary<string, string> Environment() => new()
    {
        ["RAMPART__HostName"] = "mail.test",
        ["RAMPART__Listeners__imaps__Endpoint"] = "127.0.0.1:0",
        ["RAMPART__Listeners__pop3s__Endpoint"] = "127.0.0.1:0",
        ["RAMPART__Listeners__submissions__Endpoint"] = "127.0.0.1:0",
        ["RAMPART__Listeners__admin__Endpoint"] = "127.0.0.1:0",
        ["RAMPART__Listeners__admin__Enabled"] = "true",
    };

    [Fact]
    public async Task Sessions_metrics_and_audit_of_a_running_server()
    {
        var data = Path.Combine(Path.GetTempPath(), "rampart-mon-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using (var server = RampartProcess.Start(["serve", "--data", data], Environment()))
            {
                var imaps = Port(server.WaitForLine(l => l.Contains("listening imaps", StringComparison.Ordinal)));
                var admin = Port(server.WaitForLine(l => l.Contains("listening admin", StringComparison.Ordinal)));
                server.WaitForLine(l => l.Contains("password:", StringComparison.Ordinal));

                // A client connected over TLS is a session, whatever the protocol does with it.
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, imaps);
                await using var tls = new SslStream(client.GetStream(), false, (_, _, _, _) => true);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "mail.test", ApplicationProtocols = [new SslApplicationProtocol("imap")] });

                var list = await RunAsync("sessions", "list", "--data", data);
                Assert.True(list.ExitCode == 0, list.ToString());
                var row = Assert.Single(list.Output.Split('\n'), l => l.Contains(" imap ", StringComparison.Ordinal));
                Assert.Contains("127.0.0.1", row, StringComparison.Ordinal);
                Assert.Contains("Tls1", row, StringComparison.Ordinal);
                var id = row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];

                var none = await RunAsync("sessions", "list", "--user", "nobody", "--data", data);
                Assert.Contains("no sessions", none.Output, StringComparison.Ordinal);

                var missing = await RunAsync("sessions", "kill", "feedfacecafe", "--data", data);
                Assert.Equal(67, missing.ExitCode);
                Assert.Contains("no such session", missing.Error, StringComparison.Ordinal);

                var usage = await RunAsync("sessions", "kill", "--data", data);
                Assert.Equal(64, usage.ExitCode);

                var kill = await RunAsync("sessions", "kill", id, "--data", data);
                Assert.True(kill.ExitCode == 0, kill.ToString());

                // The server closed the socket: reading ends (greeting bytes first, if any).
                var buffer = new byte[4096];
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    while (await tls.ReadAsync(buffer, timeout.Token) > 0)
                    {
                    }
                }
                catch (IOException)
                {
                    // A reset is as good as a close.
                }

                // /metrics over the admin listener's TLS.
                using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
                using var http = new HttpClient(handler);
                var metrics = await http.GetStringAsync(new Uri($"https://127.0.0.1:{admin}/metrics"));
                Assert.Contains("# TYPE rampart_connections_total counter", metrics, StringComparison.Ordinal);
                Assert.Matches("rampart_connections_total\\{protocol=\"imap\",tls=\"Tls1[23]\"\\} 1", metrics);
                Assert.Contains("rampart_store_bytes ", metrics, StringComparison.Ordinal);
                var notFound = await http.GetAsync(new Uri($"https://127.0.0.1:{admin}/other"));
                Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);

                server.Signal("TERM");
                Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            }

            var noServer = await RunAsync("sessions", "list", "--data", data);
            Assert.Equal(69, noServer.ExitCode);
            Assert.Contains("no running server", noServer.Error, StringComparison.Ordinal);

            var verify = await RunAsync("audit", "verify", "--data", data);
            Assert.True(verify.ExitCode == 0, verify.ToString());
            Assert.Contains("audit log intact", verify.Output, StringComparison.Ordinal);

            var lines = File.ReadAllLines(Path.Combine(data, "audit", AuditChain.CurrentFileName)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            var accepted = lines.Where(l => l.GetProperty("kind").GetString() == "connection.accepted" && l.GetProperty("listener").GetString() == "imaps").ToList();
            Assert.NotEmpty(accepted);
            Assert.All(accepted, l => Assert.Equal("127.0.0.1", l.GetProperty("ip").GetString()));
            Assert.Single(lines, l => l.GetProperty("kind").GetString() == "admin" && l.GetProperty("action").GetString() == "sessions.kill");
            Assert.Contains(lines, l => l.GetProperty("kind").GetString() == "connection.closed");

            // Editing a line is caught by the verb, naming the line after it.
            var file = Path.Combine(data, "audit", AuditChain.CurrentFileName);
            var text = File.ReadAllLines(file);
            text[0] = text[0].Replace("startup", "st4rtup", StringComparison.Ordinal);
            File.WriteAllText(file, string.Join('\n', text) + "\n");
            var broken = await RunAsync("audit", "verify", "--data", data);
            Assert.Equal(1, broken.ExitCode);
            Assert.Contains("audit.log:2", broken.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_control_socket_refuses_oversized_and_unknown_requests()
    {
        var data = Path.Combine(Path.GetTempPath(), "rampart-ctl-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        try
        {
            var monitor = new Rampart.Monitoring.SecurityMonitor(new Rampart.Monitoring.MonitoringOptions(), null, null);
            await using var channel = new ControlChannel(data, monitor, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            channel.Start();
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(channel.Path));
            Assert.Equal(["ERR unknown request"], await ControlClient.SendAsync(data, "DROP TABLES", CancellationToken.None));
            Assert.Equal(["OK 0"], await ControlClient.SendAsync(data, "LIST", CancellationToken.None));
            Assert.StartsWith("ERR request too long", (await ControlClient.SendAsync(data, new string('A', ControlChannel.MaxRequestBytes + 10), CancellationToken.None))[0], StringComparison.Ordinal);
            monitor.Sessions.Register("abc", "imap", "imaps", IPAddress.Loopback, DateTimeOffset.UtcNow, "Tls13", () => { });
            var listed = await ControlClient.SendAsync(data, "LIST", CancellationToken.None);
            Assert.Equal("OK 1", listed[^1]);
            Assert.Equal("abc", JsonDocument.Parse(listed[0]).RootElement.GetProperty("id").GetString());

            // A second server on the same data directory is refused.
            await using var second = new ControlChannel(data, monitor, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            Assert.Throws<IOException>(second.Start);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var result = await RampartProcess.RunAsync(string.Empty, args);
        return result;
    }

    private static int Port(string listeningLine) => int.Parse(PortPattern().Match(listeningLine).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@":(\d+)\b")]
    private static partial Regex PortPattern();
}
