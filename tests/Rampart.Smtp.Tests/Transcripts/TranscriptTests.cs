using System.Globalization;
using System.Text;
using Rampart.Smtp.Tests.Support;
using Rampart.Testing.Transcripts;

namespace Rampart.Smtp.Tests.Transcripts;

/// <summary>Every transcript file, replayed against <c>rampart serve</c> over TCP (and TLS); the server must survive each.</summary>
[Collection(SmtpServerCollection.Name)]
public sealed class TranscriptTests(SmtpServer server)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(20);

    [Theory]
    [MemberData(nameof(TranscriptFiles.All), MemberType = typeof(TranscriptFiles))]
    public async Task Replay(string file)
    {
        var transcript = Transcript.Load(TranscriptFiles.PathOf(file));
        foreach (var (account, mailbox) in transcript.Mailboxes)
        {
            await server.CreateMailboxAsync(account, mailbox);
        }

        var connections = new Dictionary<int, TranscriptConnection>();
        var captures = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var step in transcript.Steps)
            {
                var where = $"{transcript.Name}:{step.LineNumber}";
                if (step.Kind == StepKind.Check)
                {
                    await CheckAsync(step.Text, where);
                    continue;
                }

                if (!connections.TryGetValue(step.Connection, out var connection))
                {
                    var listener = transcript.ConnectionListeners.GetValueOrDefault(step.Connection, transcript.Listener);
                    connection = await TranscriptConnection.ConnectAsync(server.Port(listener), implicitTls: listener == "submissions");
                    connections[step.Connection] = connection;
                }

                switch (step.Kind)
                {
                    case StepKind.Send:
                        await connection.SendAsync(Encoding.UTF8.GetBytes(step.Text + "\r\n"));
                        break;
                    case StepKind.SendRaw:
                        await connection.SendAsync(Encoding.Latin1.GetBytes(step.Text));
                        break;
                    case StepKind.Expect:
                        var line = await ReadAsync(connection, where, step.Text);
                        Assert.True(line is not null, $"{where}: connection closed, expected '{step.Text}'");
                        Assert.True(TranscriptMatcher.Matches(step.Text, line, captures), $"{where}: expected '{step.Text}', got '{line}'");
                        break;
                    case StepKind.ExpectClosed:
                        var extra = await ReadAsync(connection, where, "the end of the connection");
                        Assert.True(extra is null, $"{where}: expected the server to close, got '{extra}'");
                        break;
                    case StepKind.StartTls:
                        await connection.StartTlsAsync().WaitAsync(StepTimeout);
                        break;
                    case StepKind.Close:
                        await connection.DisposeAsync();
                        break;
                }
            }
        }
        finally
        {
            foreach (var connection in connections.Values)
            {
                await connection.DisposeAsync();
            }
        }

        Assert.False(server.HasExited, "the server died: " + server.ServerErrors);
    }

    private static async Task<string?> ReadAsync(TranscriptConnection connection, string where, string expected)
    {
        try
        {
            return await connection.ReadLineAsync().WaitAsync(StepTimeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{where}: no reply, expected '{expected}'");
            throw;
        }
    }

    private async Task CheckAsync(string check, string where)
    {
        var words = check.Split(' ', 4);
        var messages = await server.ReadMailboxAsync(words[1], words[2]);
        switch (words[0])
        {
            case "count":
                Assert.True(messages.Count == int.Parse(words[3], CultureInfo.InvariantCulture), $"{where}: {words[1]}/{words[2]} holds {messages.Count} messages, expected {words[3]}");
                break;
            case "has":
                Assert.True(messages.Any(m => m.Contains(words[3], StringComparison.Ordinal)), $"{where}: no message in {words[1]}/{words[2]} contains '{words[3]}'");
                break;
            default:
                throw new FormatException($"{where}: unknown check {words[0]}");
        }
    }
}
