using System.Globalization;
using System.Net;
using System.Text;
using Rampart.Server.Tests.Security;

namespace Rampart.Server.Tests.Monitoring;

/// <summary>Issue 7 on a real <c>rampart serve</c>, for two events that had only in-process tests: an auto-ban that
/// runs out is one <c>unban</c> line (reason <c>expired</c>) and the address gets in again; a command flood is paced,
/// never refused, and is one <c>limit</c> line (<c>command-rate</c>) for the session.</summary>
public sealed class GuardExpiryAndPacingEventsTests : IDisposable
{
    private readonly DefaultServe server = new("guard-expiry");

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task An_expired_ban_is_an_unban_event_and_a_command_flood_a_command_rate_event()
    {
        server.Start(new Dictionary<string, string>
        {
            // A ban after 4 failures that lasts 2 s, with short delays, so the whole cycle fits a test.
            ["Security__Guard__BanThreshold"] = "4",
            ["Security__Guard__BanDuration"] = "00:00:02",
            ["Security__Guard__FirstDelay"] = "00:00:00.010",
            ["Security__Guard__MaxDelay"] = "00:00:00.050",
            // Pacing after a burst of 20 commands, at 100 a second.
            ["Limits__CommandBurst"] = "20",
            ["Limits__CommandsPerSecond"] = "100",
        });

        var guesser = IPAddress.Parse("127.0.40.1");
        for (var round = 0; round < 2; round++)
        {
            await using var client = await LoopbackTlsClient.ConnectAsync(server.Imaps, guesser);
            await client.ReadLineAsync();
            for (var i = 0; i < 2; i++)
            {
                Assert.StartsWith("g NO", await client.CommandAsync(string.Create(CultureInfo.InvariantCulture, $"g LOGIN nobody Guess-{round}-{i}")), StringComparison.Ordinal);
            }
        }

        // Banned: closed before the greeting (B05) ...
        Assert.True(await LoopbackTlsClient.IsClosedAtOnceAsync(server.Imaps, guesser), "the guesser was not banned");

        // ... until the ban runs out; the first connection after that is greeted.
        var admitted = false;
        for (var attempt = 0; attempt < 60 && !admitted; attempt++)
        {
            await Task.Delay(500);
            admitted = !await LoopbackTlsClient.IsClosedAtOnceAsync(server.Imaps, guesser);
        }

        Assert.True(admitted, "the ban did not expire");
        await using (var back = await LoopbackTlsClient.ConnectAsync(server.Imaps, guesser))
        {
            Assert.StartsWith("* OK", await back.ReadLineAsync(), StringComparison.Ordinal);
        }

        // 100 pipelined NOOPs: all answered OK (paced, not refused).
        var flooder = IPAddress.Parse("127.0.41.1");
        await using (var client = await LoopbackTlsClient.ConnectAsync(server.Imaps, flooder))
        {
            await client.ReadLineAsync();
            var burst = new StringBuilder();
            for (var i = 1; i < 100; i++)
            {
                burst.Append(CultureInfo.InvariantCulture, $"n{i} NOOP\r\n");
            }

            Assert.StartsWith("n0 OK", await client.CommandAsync("n0 NOOP\r\n" + burst + "bye LOGOUT"), StringComparison.Ordinal);
            for (var i = 1; i < 100; i++)
            {
                Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"n{i} OK"), await client.ReadLineAsync(), StringComparison.Ordinal);
            }

            Assert.StartsWith("* BYE", await client.ReadLineAsync(), StringComparison.Ordinal);
            Assert.StartsWith("bye OK", await client.ReadLineAsync(), StringComparison.Ordinal);
        }

        await server.StopAsync();
        var lines = server.AuditLines();
        var ban = Assert.Single(lines, l => DefaultServe.Field(l, "kind") == "ban");
        Assert.Equal("127.0.40.1/32", DefaultServe.Field(ban, "network"));
        var unban = Assert.Single(lines, l => DefaultServe.Field(l, "kind") == "unban");
        Assert.Equal("expired", DefaultServe.Field(unban, "reason"));
        Assert.Equal("127.0.40.1/32", DefaultServe.Field(unban, "network"));
        Assert.Equal("127.0.40.1", DefaultServe.Field(unban, "ip"));
        Assert.True(lines.ToList().IndexOf(ban) < lines.ToList().IndexOf(unban), "unban before ban");

        var paced = Assert.Single(lines, l => DefaultServe.Field(l, "kind") == "limit");
        Assert.Equal("command-rate", DefaultServe.Field(paced, "limit"));
        Assert.Equal("127.0.41.1", DefaultServe.Field(paced, "ip"));
        Assert.Equal("imap", DefaultServe.Field(paced, "protocol"));
        Assert.Equal("imaps", DefaultServe.Field(paced, "listener"));
    }
}
