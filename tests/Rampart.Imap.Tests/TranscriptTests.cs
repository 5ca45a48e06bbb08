using Rampart.Imap.Tests.TestSupport;
using Rampart.Store.Quota;

namespace Rampart.Imap.Tests;

/// <summary>Replays every transcript in Transcripts/ against a real session: over an in-memory pipe, and over
/// TCP with TLS (implicit, or STARTTLS for the transcripts about it).</summary>
public sealed class TranscriptTests
{
    public static TheoryData<string> Files() => [.. Transcript.Files()];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task InMemory(string file)
    {
        var transcript = Transcript.Load(file);
        if (!transcript.Transports.Contains("memory"))
        {
            return;
        }

        await using var server = await StartAsync(transcript);
        await transcript.RunAsync(() => Task.FromResult(server.ConnectMemory()));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task OverTcp(string file)
    {
        var transcript = Transcript.Load(file);
        await using var server = await StartAsync(transcript);
        if (transcript.Transports.Contains("tls"))
        {
            await transcript.RunAsync(server.ConnectTlsAsync);
        }

        if (transcript.Transports.Contains("starttls"))
        {
            await using var again = await StartAsync(transcript);
            await transcript.RunAsync(again.ConnectStartTlsAsync);
        }
    }

    private static async Task<ImapTestServer> StartAsync(Transcript transcript)
    {
        var server = await ImapTestServer.StartAsync();
        foreach (var (name, password) in transcript.Users)
        {
            await server.AddUserAsync(name, password);
        }

        foreach (var (name, storage, messages) in transcript.Quotas)
        {
            var account = await server.Store.FindAccountAsync(name) ?? throw new InvalidOperationException($"@quota for unknown {name}");
            var settings = new AccountQuotaSettings { StorageKiB = storage ?? AccountQuotaSettings.Unlimited, Messages = messages ?? AccountQuotaSettings.Unlimited };
            await AccountQuotaSettings.WriteAsync(server.Store, account.Id, settings, CancellationToken.None);
        }

        return server;
    }
}
