using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Testing.Transcripts;

namespace Rampart.Pop3.Tests.Transcripts;

/// <summary>Every transcript file, replayed against the session over in-memory pipes and over real TCP+TLS.</summary>
public sealed class TranscriptTests
{
    [Theory]
    [MemberData(nameof(TranscriptFiles.All), MemberType = typeof(TranscriptFiles))]
    public Task InMemory(string file) =>
        TranscriptRunner.RunAsync(Transcript.Load(TranscriptFiles.PathOf(file)), (services, plaintext) => new InMemoryServer(services, plaintext));

    [Theory]
    [MemberData(nameof(TranscriptFiles.All), MemberType = typeof(TranscriptFiles))]
    public Task OverTcpAndTls(string file) =>
        TranscriptRunner.RunAsync(Transcript.Load(TranscriptFiles.PathOf(file)), (services, plaintext) => TcpTlsServer.Start(services, plaintext));

    [Fact]
    public void Matching_captures_and_wildcards()
    {
        var captures = new Dictionary<string, string>();
        Assert.True(TranscriptMatcher.Matches("1 $uid", "1 7.3", captures));
        Assert.Equal("7.3", captures["uid"]);
        Assert.True(TranscriptMatcher.Matches("2 $uid", "2 7.3", captures));
        Assert.False(TranscriptMatcher.Matches("2 $uid", "2 7.4", captures));
        Assert.True(TranscriptMatcher.Matches("+OK*", "+OK anything", captures));
        Assert.False(TranscriptMatcher.Matches("+OK", "+OK anything", captures));
        _ = NullLogger.Instance;
    }
}
