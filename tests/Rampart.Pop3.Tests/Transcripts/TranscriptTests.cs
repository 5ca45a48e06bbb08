using Microsoft.Extensions.Logging.Abstractions;

namespace Rampart.Pop3.Tests.Transcripts;

/// <summary>Every transcript file, replayed against the session over in-memory pipes and over real TCP+TLS.</summary>
public sealed class TranscriptTests
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Transcripts");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.txt").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public Task InMemory(string file) =>
        TranscriptRunner.RunAsync(Transcript.Load(Path.Combine(Directory, file)), (services, plaintext) => new InMemoryServer(services, plaintext));

    [Theory]
    [MemberData(nameof(Files))]
    public Task OverTcpAndTls(string file) =>
        TranscriptRunner.RunAsync(Transcript.Load(Path.Combine(Directory, file)), (services, plaintext) => TcpTlsServer.Start(services, plaintext));

    [Fact]
    public void Matching_captures_and_wildcards()
    {
        var captures = new Dictionary<string, string>();
        Assert.True(TranscriptRunner.Matches("1 $uid", "1 7.3", captures));
        Assert.Equal("7.3", captures["uid"]);
        Assert.True(TranscriptRunner.Matches("2 $uid", "2 7.3", captures));
        Assert.False(TranscriptRunner.Matches("2 $uid", "2 7.4", captures));
        Assert.True(TranscriptRunner.Matches("+OK*", "+OK anything", captures));
        Assert.False(TranscriptRunner.Matches("+OK", "+OK anything", captures));
        _ = NullLogger.Instance;
    }
}
