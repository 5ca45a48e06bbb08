using System.Text;
using Rampart.Smtp.Tests.Support;
using Rampart.Smtp.Tests.Transcripts;

namespace Rampart.Smtp.Tests.Interop;

/// <summary>Limits that need more bytes than a transcript should hold: a message over the size limit streamed in DATA
/// and in BDAT (552 5.3.4, nothing stored), and the error limit (421, closed). The server survives.</summary>
[Collection(SmtpServerCollection.Name)]
public sealed class LimitTests(SmtpServer server)
{
    private static async Task ExpectAsync(TranscriptConnection connection, string prefix)
    {
        var line = await connection.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(line is not null && line.StartsWith(prefix, StringComparison.Ordinal), $"expected '{prefix}…', got '{line}'");
    }

    private static async Task<TranscriptConnection> GreetAsync(int port)
    {
        var connection = await TranscriptConnection.ConnectAsync(port, implicitTls: false);
        await ExpectAsync(connection, "220 ");
        await connection.SendAsync("LHLO client.test\r\n"u8.ToArray());
        return connection;
    }

    [Fact]
    public async Task An_oversize_message_in_data_is_refused_and_not_stored()
    {
        await using var connection = await GreetAsync(server.Port("lmtp"));
        await ExpectAsync(connection, "250-");
        for (var i = 0; i < 8; i++)
        {
            await connection.ReadLineAsync();
        }

        await connection.SendAsync("MAIL FROM:<a@remote.test>\r\nRCPT TO:<sizeuser@example.test>\r\nDATA\r\n"u8.ToArray());
        await ExpectAsync(connection, "250 2.1.0");
        await ExpectAsync(connection, "250 2.1.5");
        await ExpectAsync(connection, "354 ");
        var line = Encoding.ASCII.GetBytes(new string('x', 998) + "\r\n");
        await connection.SendAsync(Encoding.ASCII.GetBytes("Subject: too big\r\n\r\n"));
        for (var sent = 0; sent < SmtpServer.MaxMessageSize * 2; sent += line.Length)
        {
            await connection.SendAsync(line);
        }

        await connection.SendAsync(".\r\n"u8.ToArray());
        await ExpectAsync(connection, "552 5.3.4");

        // BDAT: the size is checked as the chunks arrive.
        await connection.SendAsync("MAIL FROM:<a@remote.test>\r\nRCPT TO:<sizeuser@example.test>\r\n"u8.ToArray());
        await ExpectAsync(connection, "250 2.1.0");
        await ExpectAsync(connection, "250 2.1.5");
        var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(new string('y', 98) + "\r\n", 700)));
        await connection.SendAsync(Encoding.ASCII.GetBytes($"BDAT {chunk.Length}\r\n"));
        await connection.SendAsync(chunk);
        await ExpectAsync(connection, "250 2.0.0");
        await connection.SendAsync(Encoding.ASCII.GetBytes($"BDAT {chunk.Length} LAST\r\n"));
        await connection.SendAsync(chunk);
        await ExpectAsync(connection, "552 5.3.4");
        await connection.SendAsync("NOOP\r\n"u8.ToArray());
        await ExpectAsync(connection, "250 2.0.0");
        Assert.Empty(await server.ReadMailboxAsync("sizeuser"));
    }

    [Fact]
    public async Task Too_many_errors_close_the_session_with_421()
    {
        await using var connection = await TranscriptConnection.ConnectAsync(server.Port("smtp"), implicitTls: false);
        await ExpectAsync(connection, "220 ");
        for (var i = 0; i < 19; i++)
        {
            await connection.SendAsync("GARBAGE\r\n"u8.ToArray());
            await ExpectAsync(connection, "500 ");
        }

        await connection.SendAsync("GARBAGE\r\n"u8.ToArray());
        await ExpectAsync(connection, "500 ");
        await ExpectAsync(connection, "421 ");
        Assert.Null(await connection.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)));

        await using var next = await TranscriptConnection.ConnectAsync(server.Port("smtp"), implicitTls: false);
        await ExpectAsync(next, "220 ");
    }

    [Fact]
    public async Task A_ten_megabyte_line_gets_500_and_memory_is_not_spent_on_it()
    {
        await using var connection = await TranscriptConnection.ConnectAsync(server.Port("smtp"), implicitTls: false);
        await ExpectAsync(connection, "220 ");
        var junk = Encoding.ASCII.GetBytes(new string('A', 1 << 20));
        for (var i = 0; i < 10; i++)
        {
            await connection.SendAsync(junk);
        }

        await connection.SendAsync("\r\nNOOP\r\n"u8.ToArray());
        await ExpectAsync(connection, "500 ");
        await ExpectAsync(connection, "250 ");
    }
}
