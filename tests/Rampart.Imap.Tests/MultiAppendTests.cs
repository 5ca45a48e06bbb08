using Rampart.Imap.Tests.TestSupport;

namespace Rampart.Imap.Tests;

/// <summary>MULTIAPPEND is all or nothing (RFC 3502 §6.3.11): when a later message of the command fails, the ones
/// already stored are not kept.</summary>
public sealed class MultiAppendTests
{
    [Fact]
    public async Task A_failing_second_message_keeps_none_and_a_good_command_keeps_all()
    {
        await using var server = await ImapTestServer.StartAsync();
        await server.AddUserAsync("alice", "Secret-Pass-1");
        await using var client = await server.LoginMemoryAsync("alice", "Secret-Pass-1");
        const string message = "Subject: one\r\n\r\nbody\r\n";

        // The second message has an impossible date: BAD, and the first one is gone too.
        await client.SendAsync($"a2 APPEND INBOX {{{message.Length}+}}\r\n{message} \"99-Xyz-2024 00:00:00 +0000\" {{{message.Length}+}}\r\n{message}\r\n");
        Assert.StartsWith("a2 BAD ", await client.ReadLineAsync());
        await client.SendAsync("a3 STATUS INBOX (MESSAGES)\r\n");
        Assert.Equal("* STATUS \"INBOX\" (MESSAGES 0)", await client.ReadLineAsync());
        Assert.StartsWith("a3 OK", await client.ReadLineAsync());

        // Two good messages: both kept, one APPENDUID range.
        await client.SendAsync($"a4 APPEND INBOX {{{message.Length}+}}\r\n{message} {{{message.Length}+}}\r\n{message}\r\n");
        Assert.Matches(@"^a4 OK \[APPENDUID \d+ \d+:\d+\] ", await client.ReadLineAsync());
        await client.SendAsync("a5 STATUS INBOX (MESSAGES)\r\n");
        Assert.Equal("* STATUS \"INBOX\" (MESSAGES 2)", await client.ReadLineAsync());
    }
}
