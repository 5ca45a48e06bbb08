using System.Globalization;
using System.Net;
using Rampart.Server.Tests.Support;

namespace Rampart.Server.Tests.Security;

/// <summary>Issue 7 deliverable 1 on a real <c>rampart serve</c>: per-client delays are <c>throttle</c> events (one per
/// delay step, not per guess), the per-account throttle is one <c>lockout</c> per engagement, and session, line and
/// literal limits are <c>limit</c> events naming the limit.</summary>
public sealed class GuardEventsOnTheWireTests : IDisposable
{
    private const string Password = "Correct-Horse-Battery-9";
    private readonly RunningServer server = new("guard-events");

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task Throttle_lockout_and_limits_each_appear_once_with_their_fields()
    {
        await server.CliAsync(Password + "\n", "user", "add", "alice", "--password-stdin");
        server.Start(new Dictionary<string, string>
        {
            ["Security__Guard__FirstDelay"] = "00:00:00.010",
            ["Security__Guard__MaxDelay"] = "00:00:00.050",
            ["Security__Guard__BanThreshold"] = "100",
            ["Security__SessionsPerAccount"] = "1",
        });

        // The owner's network becomes known, and the one session allowed stays open.
        await using var owner = await LoopbackTlsClient.ConnectAsync(server.Imaps, IPAddress.Loopback);
        await owner.ReadLineAsync();
        Assert.StartsWith("a1 OK", await owner.CommandAsync("a1 LOGIN alice " + Password), StringComparison.Ordinal);

        // A second session of the account: refused by the per-account limit.
        await using (var second = await LoopbackTlsClient.ConnectAsync(server.Imaps, IPAddress.Parse("127.0.0.9")))
        {
            await second.ReadLineAsync();
            Assert.StartsWith("b1 NO", await second.CommandAsync("b1 LOGIN alice " + Password), StringComparison.Ordinal);
        }

        // One address guessing (two per connection, under the per-session cap): delayed, step by step.
        var guesser = IPAddress.Parse("127.0.4.1");
        for (var round = 0; round < 5; round++)
        {
            await using var client = await LoopbackTlsClient.ConnectAsync(server.Imaps, guesser);
            await client.ReadLineAsync();
            for (var i = 0; i < 2; i++)
            {
                Assert.StartsWith("g NO", await client.CommandAsync(string.Create(CultureInfo.InvariantCulture, $"g LOGIN bob Guess-{round}-{i}")), StringComparison.Ordinal);
            }
        }

        // Ten addresses, one wrong password each on alice: the account throttle engages; two strangers are refused by it.
        for (var i = 1; i <= 10; i++)
        {
            await using var client = await LoopbackTlsClient.ConnectAsync(server.Imaps, IPAddress.Parse("127.0.2." + i.ToString(CultureInfo.InvariantCulture)));
            await client.ReadLineAsync();
            Assert.StartsWith("g NO", await client.CommandAsync("g LOGIN alice Guess-" + i.ToString(CultureInfo.InvariantCulture)), StringComparison.Ordinal);
        }

        for (var i = 1; i <= 2; i++)
        {
            await using var stranger = await LoopbackTlsClient.ConnectAsync(server.Imaps, IPAddress.Parse("127.0.3." + i.ToString(CultureInfo.InvariantCulture)));
            await stranger.ReadLineAsync();
            Assert.StartsWith("s1 NO [AUTHENTICATIONFAILED]", await stranger.CommandAsync("s1 LOGIN alice " + Password), StringComparison.Ordinal);
        }

        // Line and literal limits.
        await using (var flooder = await LoopbackTlsClient.ConnectAsync(server.Imaps, IPAddress.Parse("127.0.5.1")))
        {
            await flooder.ReadLineAsync();
            // The overlong line gets an untagged BAD [TOOBIG] (skipped by CommandAsync); the literal a tagged one.
            Assert.StartsWith("t BAD [TOOBIG]", await flooder.CommandAsync("x NOOP " + new string('a', 200_000) + "\r\nt SELECT {999999999}"), StringComparison.Ordinal);
        }

        await owner.DisposeAsync();
        await server.StopAsync();
        var lines = server.AuditLines();

        var throttles = lines.Where(l => RunningServer.Field(l, "kind") == "throttle").ToList();
        Assert.NotEmpty(throttles);
        Assert.All(throttles, t => Assert.Equal("127.0.4.1", RunningServer.Field(t, "ip")));
        var delays = throttles.Select(t => int.Parse(RunningServer.Field(t, "delayMs")!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(delays.Distinct(), delays);
        Assert.All(delays, d => Assert.InRange(d, 10, 50));
        Assert.True(throttles.Count < 10, $"{throttles.Count} throttle lines for 10 guesses");
        Assert.All(throttles, t => Assert.Equal("imap", RunningServer.Field(t, "protocol")));

        var lockout = Assert.Single(lines, l => RunningServer.Field(l, "kind") == "lockout");
        Assert.Equal("alice", RunningServer.Field(lockout, "user"));
        Assert.Equal("127.0.3.1", RunningServer.Field(lockout, "ip"));
        Assert.NotNull(RunningServer.Field(lockout, "until"));

        var limits = lines.Where(l => RunningServer.Field(l, "kind") == "limit")
            .Select(l => (Limit: RunningServer.Field(l, "limit"), Ip: RunningServer.Field(l, "ip"), User: RunningServer.Field(l, "user")))
            .ToList();
        Assert.Contains(("sessions-per-account", "127.0.0.9", "alice"), limits);
        Assert.Contains(("line-length", "127.0.5.1", null), limits);
        Assert.Contains(("literal-size", "127.0.5.1", null), limits);
        Assert.Equal(3, limits.Count);
    }
}
