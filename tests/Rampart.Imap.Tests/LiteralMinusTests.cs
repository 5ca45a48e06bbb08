using Rampart.Imap.Tests.TestSupport;

namespace Rampart.Imap.Tests;

/// <summary>LITERAL- (RFC 7888 §5) where configured: advertised instead of LITERAL+, non-synchronizing literals up
/// to 4096 octets accepted in every state, larger ones refused with BAD [TOOBIG] before any of their bytes are used;
/// synchronizing literals keep the normal limits.</summary>
public sealed class LiteralMinusTests
{
    [Fact]
    public async Task Literal_minus_replaces_literal_plus_and_caps_non_synchronizing_literals_at_4096()
    {
        await using var server = await ImapTestServer.StartAsync(new ImapServerOptions { LiteralMinus = true });
        await server.AddUserAsync("alice", "Secret-Pass-1");
        await using var client = server.ConnectMemory();
        var greeting = await client.ReadLineAsync();
        Assert.Contains(" LITERAL- ", greeting);
        Assert.DoesNotContain("LITERAL+", greeting);
        await client.SendAsync("a1 LOGIN alice Secret-Pass-1\r\n");
        Assert.StartsWith("a1 OK", await client.ReadLineAsync());

        // 4096 octets non-synchronizing: accepted after login too.
        var name = new string('x', 4096);
        await client.SendAsync("a2 CREATE {4096+}\r\n" + name + "\r\n");
        Assert.Matches("^a2 (OK|NO) ", await client.ReadLineAsync());

        // A synchronizing literal over 4096 still gets its continuation.
        var message = "Subject: big\r\n\r\n" + new string('y', 6000) + "\r\n";
        await client.SendAsync($"a3 APPEND INBOX {{{message.Length}}}\r\n");
        Assert.StartsWith("+ ", await client.ReadLineAsync());
        await client.SendAsync(message + "\r\n");
        Assert.StartsWith("a3 OK [APPENDUID ", await client.ReadLineAsync());

        // 4097 octets non-synchronizing: BAD [TOOBIG], and the connection ends (the bytes are already on their way).
        await client.SendAsync($"a4 APPEND INBOX {{{message.Length}+}}\r\n" + message + "\r\n");
        Assert.StartsWith("a4 BAD [TOOBIG]", await client.ReadLineAsync());
        Assert.StartsWith("* BYE", await client.ReadLineAsync());
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task A_second_non_synchronizing_literal_over_4096_inside_a_command_is_refused()
    {
        await using var server = await ImapTestServer.StartAsync(new ImapServerOptions { LiteralMinus = true });
        await server.AddUserAsync("alice", "Secret-Pass-1");
        await using var client = server.ConnectMemory();
        await client.ReadLineAsync();
        await client.SendAsync("a1 LOGIN alice Secret-Pass-1\r\n");
        Assert.StartsWith("a1 OK", await client.ReadLineAsync());
        await client.SendAsync("a2 RENAME {3+}\r\nabc {5000+}\r\n" + new string('z', 5000) + "\r\n");
        Assert.StartsWith("a2 BAD [TOOBIG]", await client.ReadLineAsync());
    }

    [Fact]
    public async Task By_default_literal_plus_is_advertised_with_the_pre_login_limit()
    {
        await using var server = await ImapTestServer.StartAsync();
        await server.AddUserAsync("alice", "Secret-Pass-1");
        await using var client = server.ConnectMemory();
        var greeting = await client.ReadLineAsync();
        Assert.Contains(" LITERAL+ ", greeting);
        await client.SendAsync("a1 LOGIN {5000+}\r\n" + new string('a', 5000) + " x\r\n");
        Assert.StartsWith("a1 BAD [TOOBIG]", await client.ReadLineAsync());
        await client.ReadLineAsync();
    }
}
