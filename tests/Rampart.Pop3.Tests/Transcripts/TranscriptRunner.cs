using System.Text;
using Rampart.Pop3.Tests.Support;
using Rampart.Testing.Transcripts;

namespace Rampart.Pop3.Tests.Transcripts;

/// <summary>Replays a <see cref="Transcript"/> against a fresh store and a server.</summary>
public static class TranscriptRunner
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(15);

    public static async Task RunAsync(Transcript transcript, Func<Pop3Services, bool, ITranscriptServer> startServer)
    {
        await using var environment = await TestMailEnvironment.CreateAsync();
        foreach (var (user, password) in transcript.Users)
        {
            await environment.AddUserAsync(user, password);
        }

        foreach (var (user, settings) in transcript.AccountSettings)
        {
            var account = (await environment.Store.FindAccountAsync(user))!;
            await Accounts.Pop3AccountSettings.WriteAsync(environment.Store, account.Id, settings, CancellationToken.None);
            if (settings.Apop)
            {
                await environment.Legacy.EnableAsync(user, transcript.Users.First(u => u.User == user).Password, CancellationToken.None);
            }
        }

        foreach (var (user, message) in transcript.Deliveries)
        {
            await environment.DeliverAsync(user, message);
        }

        var options = new Pop3Options { Retention = transcript.Retention };
        if (transcript.MaxErrors is { } maxErrors)
        {
            options.MaxConsecutiveErrors = maxErrors;
        }

        var services = environment.CreateServices(options, legacy: transcript.Legacy);
        await using var server = startServer(services, transcript.Plaintext);
        var connections = new Dictionary<int, ITranscriptConnection>();
        var captures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var step in transcript.Steps)
        {
            var where = $"{transcript.Name}:{step.LineNumber}";
            if (!connections.TryGetValue(step.Connection, out var connection))
            {
                connection = await server.ConnectAsync();
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
                    var line = await connection.ReadLineAsync().WaitAsync(StepTimeout);
                    Assert.True(line is not null, $"{where}: connection closed, expected '{step.Text}'");
                    Assert.True(TranscriptMatcher.Matches(step.Text, line, captures), $"{where}: expected '{step.Text}', got '{line}'");
                    break;
                case StepKind.ExpectClosed:
                    var extra = await connection.ReadLineAsync().WaitAsync(StepTimeout);
                    Assert.True(extra is null, $"{where}: expected the server to close, got '{extra}'");
                    break;
                case StepKind.StartTls:
                    await connection.StartTlsAsync().WaitAsync(StepTimeout);
                    break;
                case StepKind.Close:
                    await connection.CloseAsync().WaitAsync(StepTimeout);
                    break;
            }
        }

        foreach (var connection in connections.Values)
        {
            await connection.DisposeAsync();
        }
    }
}
