using System.Net;
using System.Text;
using System.Text.Json;
using Rampart.Monitoring.Audit;
using Rampart.Monitoring.Events;

namespace Rampart.Monitoring.Tests.Audit;

public sealed class AuditLogTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.7");

    private static List<JsonElement> ReadLines(string directory) =>
        AuditChain.FilesInOrder(directory)
            .SelectMany(File.ReadAllLines)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToList();

    public static IEnumerable<object[]> EveryKind()
    {
        var t = new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
        SecurityEvent[] events =
        [
            new ConnectionAccepted { Time = t, Protocol = "imap", Listener = "imaps", Port = 993, SessionId = "s1", ClientIp = Client, TlsVersion = "Tls13", TlsSuite = "TLS_AES_128_GCM_SHA256" },
            new ConnectionRefused { Time = t, Listener = "imaps", Port = 993, ClientIp = Client, Reason = "per-ip-limit" },
            new ConnectionClosed { Time = t, Protocol = "imap", SessionId = "s1", ClientIp = Client, BytesIn = 10, BytesOut = 20, Duration = TimeSpan.FromSeconds(3) },
            new TlsHandshakeFailed { Time = t, Listener = "imaps", ClientIp = Client, Reason = "no shared cipher" },
            new StartTlsInjection { Time = t, Protocol = "imap", SessionId = "s1", ClientIp = Client, DiscardedBytes = 12 },
            new AuthenticationSucceeded { Time = t, Protocol = "imap", SessionId = "s1", ClientIp = Client, User = "alice", Mechanism = "SCRAM-SHA-256", Credential = "password" },
            new AuthenticationFailed { Time = t, Protocol = "pop3", SessionId = "s2", ClientIp = Client, User = "bob", Mechanism = "PLAIN", Reason = "bad-credentials" },
            new Banned { Time = t, ClientIp = Client, Network = "192.0.2.7/32", Until = t.AddHours(1), Reason = "auto" },
            new Unbanned { Time = t, Network = "192.0.2.7/32", Reason = "admin" },
            new Throttled { Time = t, ClientIp = Client, User = "alice", Delay = TimeSpan.FromSeconds(2) },
            new LockedOut { Time = t, User = "alice", Until = t.AddMinutes(15) },
            new LimitHit { Time = t, Protocol = "imap", ClientIp = Client, Limit = "MaxLineLength" },
            new CredentialChanged { Time = t, User = "alice", Credential = "app-password", Action = "created", Label = "phone", Actor = "alice" },
            new AdminAction { Time = t, Protocol = "cli", Action = "sessions.kill", Target = "abc", Actor = "root" },
            new ConfigurationChanged { Time = t, Setting = "Tls:CertificatePath" },
            new ClientIdentified { Time = t, Protocol = "imap", SessionId = "s1", ClientId = "Thunderbird 128" },
            new AlertRaised { Time = t, Alert = "new-network", User = "alice" },
        ];
        return events.Select(e => new object[] { e });
    }

    [Theory]
    [MemberData(nameof(EveryKind))]
    public async Task Each_event_is_one_line_with_its_fields(SecurityEvent e)
    {
        using var dir = new TempDirectory();
        await using (var log = new AuditLog(dir.Path))
        {
            log.Start();
            log.Raise(e);
            await log.FlushAsync();
        }

        var line = Assert.Single(ReadLines(dir.Path));
        Assert.Equal(1, line.GetProperty("seq").GetInt64());
        Assert.Equal("2025-01-02T03:04:05.678Z", line.GetProperty("time").GetString());
        Assert.Equal(SecurityEventKinds.Name(e.Kind), line.GetProperty("kind").GetString());
        Assert.Equal(e.Result, line.GetProperty("result").GetString());
        Assert.Equal(AuditChain.Genesis, line.GetProperty("prev").GetString());
        void Check(string name, string? expected)
        {
            if (expected is null)
            {
                Assert.False(line.TryGetProperty(name, out _), name);
            }
            else
            {
                Assert.Equal(expected, line.GetProperty(name).GetString());
            }
        }

        Check("protocol", e.Protocol);
        Check("listener", e.Listener);
        Check("session", e.SessionId);
        Check("ip", e.ClientIp?.ToString());
        Check("user", e.User);
        Check("mechanism", e.Mechanism);
        Check("tls", e.TlsVersion);
        Check("suite", e.TlsSuite);
        Check("reason", e.Reason);
        if (e.Port is { } port)
        {
            Assert.Equal(port, line.GetProperty("port").GetInt32());
        }

        switch (e)
        {
            case LimitHit limit:
                Check("limit", limit.Limit);
                break;
            case ConnectionClosed closed:
                Assert.Equal(closed.BytesOut, line.GetProperty("bytesOut").GetInt64());
                break;
            case AdminAction admin:
                Check("action", admin.Action);
                Check("target", admin.Target);
                break;
            case Banned banned:
                Check("network", banned.Network);
                Check("until", "2025-01-02T04:04:05.678Z");
                break;
            default:
                break;
        }
    }

    [Fact]
    public async Task Transfer_events_are_not_audited()
    {
        using var dir = new TempDirectory();
        await using (var log = new AuditLog(dir.Path))
        {
            log.Start();
            log.Raise(new DataTransferred { BytesOut = 5, ClientIp = Client });
            log.Raise(new AuthenticationFailed { ClientIp = Client, User = "x" });
            await log.FlushAsync();
        }

        Assert.Equal("auth.failure", Assert.Single(ReadLines(dir.Path)).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Hostile_user_names_are_escaped_on_one_line_L02()
    {
        using var dir = new TempDirectory();
        const string hostile = "evil\r\n{\"kind\":\"auth.success\"}\u001b[31mred\u001b[0m\"quoted\"\u0000\u2028";
        await using (var log = new AuditLog(dir.Path))
        {
            log.Start();
            log.Raise(new AuthenticationFailed { ClientIp = Client, User = hostile, Reason = "bad-credentials" });
            await log.FlushAsync();
        }

        var bytes = File.ReadAllBytes(Path.Combine(dir.Path, AuditChain.CurrentFileName));
        Assert.Equal(1, bytes.Count(b => b == '\n'));
        Assert.DoesNotContain(bytes, b => b < 0x20 && b != '\n');
        Assert.DoesNotContain(bytes, b => b >= 0x80);
        var text = Encoding.ASCII.GetString(bytes);
        Assert.Contains("\\u001B[31m", text, StringComparison.Ordinal);
        Assert.Contains("\\r\\n", text, StringComparison.Ordinal);
        Assert.Contains("\\u0022quoted\\u0022", text, StringComparison.Ordinal);
        Assert.Equal(hostile, Assert.Single(ReadLines(dir.Path)).GetProperty("user").GetString());
    }

    [Fact]
    public async Task Long_fields_are_cut()
    {
        using var dir = new TempDirectory();
        await using (var log = new AuditLog(dir.Path))
        {
            log.Start();
            log.Raise(new AuthenticationFailed { ClientIp = Client, User = new string('a', 100_000) });
            await log.FlushAsync();
        }

        Assert.True(new FileInfo(Path.Combine(dir.Path, AuditChain.CurrentFileName)).Length < 2000);
        Assert.Equal(257, Assert.Single(ReadLines(dir.Path)).GetProperty("user").GetString()!.Length);
    }

    [Fact]
    public async Task No_password_token_or_their_base64_reaches_the_log_L01()
    {
        using var dir = new TempDirectory();
        const string password = "Correct-Horse-Battery-9!";
        const string token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
        var plainBlob = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0alice\0" + password));
        var bearerBlob = Convert.ToBase64String(Encoding.UTF8.GetBytes("n,a=alice,\u0001auth=Bearer " + token + "\u0001\u0001"));
        await using (var log = new AuditLog(dir.Path))
        {
            log.Start();

            // What protocols log around a login: the name the client gave, the mechanism, the outcome. A confused or
            // hostile client may send its SASL response where the name belongs; the scrubber must catch that shape.
            log.Raise(new AuthenticationSucceeded { ClientIp = Client, User = "alice", Mechanism = "PLAIN", SessionId = "s1" });
            log.Raise(new AuthenticationFailed { ClientIp = Client, User = plainBlob, Mechanism = "LOGIN", Reason = "unknown-user" });
            log.Raise(new AuthenticationFailed { ClientIp = Client, User = bearerBlob, Mechanism = "OAUTHBEARER", Reason = "malformed" });
            log.Raise(new CredentialChanged { User = "alice", Credential = "password", Action = "set", Actor = "admin" });
            await log.FlushAsync();
        }

        var all = string.Concat(AuditChain.FilesInOrder(dir.Path).Select(File.ReadAllText));
        foreach (var secret in new[] { password, token, plainBlob, bearerBlob, Convert.ToBase64String(Encoding.UTF8.GetBytes(password)) })
        {
            Assert.DoesNotContain(secret, all, StringComparison.Ordinal);
        }

        Assert.Contains(SecretScrubber.Redacted, all, StringComparison.Ordinal);
        Assert.Contains("\"user\":\"alice\"", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flood_from_one_source_is_capped_and_counted_L03()
    {
        using var dir = new TempDirectory();
        var t = DateTimeOffset.UtcNow;
        await using (var log = new AuditLog(dir.Path, new AuditOptions { MaxLinesPerSecondPerSource = 20 }))
        {
            log.Start();
            for (var i = 0; i < 1000; i++)
            {
                log.Raise(new AuthenticationFailed { Time = t, ClientIp = Client, User = "alice", Reason = "bad-credentials" });
            }

            // Another source in the same second is not affected by the first one's flood.
            log.Raise(new AuthenticationFailed { Time = t, ClientIp = IPAddress.Parse("198.51.100.1"), User = "bob" });
            await log.FlushAsync();
        }

        var lines = ReadLines(dir.Path);
        Assert.Equal(20, lines.Count(l => l.GetProperty("kind").GetString() == "auth.failure" && l.GetProperty("ip").GetString() == "192.0.2.7"));
        Assert.Single(lines, l => l.GetProperty("kind").GetString() == "auth.failure" && l.GetProperty("ip").GetString() == "198.51.100.1");
        var summary = Assert.Single(lines, l => l.GetProperty("kind").GetString() == "audit.suppressed");
        Assert.Equal(980, summary.GetProperty("count").GetInt64());
        Assert.Equal("auth.failure", summary.GetProperty("suppressedKind").GetString());
        Assert.Equal("192.0.2.7", summary.GetProperty("ip").GetString());
        Assert.True(AuditVerifier.Verify(dir.Path).Intact);
    }
}
