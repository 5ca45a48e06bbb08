using Rampart.Imap.Tests.TestSupport;

namespace Rampart.Imap.Tests;

/// <summary>SECURITY.md C03 for IMAP: a logged-in session may idle at least 30 minutes (RFC 9051 §5.4: an
/// inactivity autologout timer of at least 30 minutes), while the unauthenticated one keeps the short pre-auth timeout
/// the listener set; the session raises its transport's timeout only once LOGIN succeeds.</summary>
public sealed class AuthenticatedIdleTimeoutTests
{
    private const string Password = "Secret-Pass-1";

    [Fact]
    public void The_default_authenticated_timeout_is_at_least_thirty_minutes() =>
        Assert.True(new ImapServerOptions().AuthenticatedIdleTimeout >= TimeSpan.FromMinutes(30));

    [Fact]
    public async Task C03_login_raises_the_idle_timeout_and_a_failed_login_does_not()
    {
        var options = new ImapServerOptions { AuthenticatedIdleTimeout = TimeSpan.FromMinutes(45) };
        await using var server = await ImapTestServer.StartAsync(options);
        await server.AddUserAsync("alice", Password);
        var preAuth = TimeSpan.FromSeconds(60);
        var transport = new MemoryTransport { IdleTimeout = preAuth };
        using var stop = new CancellationTokenSource();
        var session = Task.Run(async () =>
        {
            await server.Handler.RunAsync(transport, stop.Token);
            await transport.Output.CompleteAsync();
        });
        await using var client = new LineClient(transport.ClientStream());
        Assert.StartsWith("* OK", await client.ReadLineAsync());

        await client.SendAsync("a1 LOGIN alice Wrong-Pass-2\r\n");
        Assert.StartsWith("a1 NO", await client.ReadLineAsync());
        Assert.Equal(preAuth, transport.IdleTimeout);

        await client.SendAsync("a2 LOGIN alice " + Password + "\r\n");
        Assert.StartsWith("a2 OK", await client.ReadLineAsync());
        Assert.Equal(TimeSpan.FromMinutes(45), transport.IdleTimeout);
        Assert.True(transport.Authenticated);

        await client.SendAsync("a3 LOGOUT\r\n");
        while (await client.ReadLineAsync() is { } line && !line.StartsWith("a3 ", StringComparison.Ordinal))
        {
        }

        await session.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
