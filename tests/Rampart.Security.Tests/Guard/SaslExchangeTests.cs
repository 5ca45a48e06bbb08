using System.Text;
using Rampart.Security.Guard;
using Rampart.Security.Sasl;
using Rampart.Security.Sasl.Mechanisms.Plain;
using Rampart.Security.Sasl.Mechanisms.Scram;
using Rampart.Security.Tests.Support;

namespace Rampart.Security.Tests.Guard;

/// <summary>The one SASL exchange driver of IMAP, POP3 and SMTP (RFC 4422 §3, §3.5, §3.6), run with real mechanisms and
/// a scripted client; the protocols' wire replies are checked by their transcripts.</summary>
public class SaslExchangeTests
{
    private const int MaxResponse = SaslLimits.DefaultMaxResponseBytes;

    private readonly InMemoryCredentialSource _source = new InMemoryCredentialSource().Add("alice", TestSecurity.Credential("wonderland"));

    private static byte[] Base64(string text) => Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)));

    private static string Decode(ReadOnlyMemory<byte> encoded) => Encoding.UTF8.GetString(Convert.FromBase64String(Encoding.ASCII.GetString(encoded.Span)));

    private static ValueTask<SaslResponseLine> Answer(byte[] line) => ValueTask.FromResult(new SaslResponseLine(line, false));

    [Fact]
    public async Task Scram_runs_every_round_and_sends_the_server_proof_as_a_last_challenge()
    {
        var client = new ScramTestClient("alice", "wonderland", ScramTestClient.RandomNonce());
        var challenges = new List<string>();
        var result = await SaslExchange.RunAsync(new ScramSha256Server(TestSecurity.Context(_source), plus: false), "SCRAM-SHA-256",
            Encoding.UTF8.GetBytes(client.ClientFirst()), null, MaxResponse, (challenge, _) =>
            {
                challenges.Add(Decode(challenge));
                // Client-final after server-first; the empty answer to the server's final message.
                return Answer(challenges.Count == 1 ? Base64(client.ClientFinal(challenges[0])) : []);
            }, CancellationToken.None);

        Assert.Equal(SaslExchangeOutcome.Succeeded, result.Outcome);
        Assert.Equal("alice", result.AccountName);
        Assert.Equal(2, challenges.Count);
        Assert.True(client.VerifyServerFinal(challenges[1]));
    }

    [Fact]
    public async Task A_non_empty_answer_to_the_server_proof_is_refused()
    {
        var client = new ScramTestClient("alice", "wonderland", ScramTestClient.RandomNonce());
        var rounds = 0;
        var result = await SaslExchange.RunAsync(new ScramSha256Server(TestSecurity.Context(_source), plus: false), "SCRAM-SHA-256",
            Encoding.UTF8.GetBytes(client.ClientFirst()), null, MaxResponse,
            (challenge, _) => Answer(++rounds == 1 ? Base64(client.ClientFinal(Decode(challenge))) : Base64("more")), CancellationToken.None);

        Assert.Equal(SaslExchangeOutcome.UnexpectedFinalResponse, result.Outcome);
        Assert.Null(result.AccountName);
    }

    [Theory]
    [InlineData("*", SaslExchangeOutcome.Cancelled)]
    [InlineData("not base64!", SaslExchangeOutcome.InvalidResponse)]
    public async Task The_answer_line_ends_the_exchange(string line, SaslExchangeOutcome expected)
    {
        var result = await SaslExchange.RunAsync(new PlainServer(TestSecurity.Context(_source)), "PLAIN", null, null, MaxResponse,
            (_, _) => Answer(Encoding.ASCII.GetBytes(line)), CancellationToken.None);
        Assert.Equal(expected, result.Outcome);
    }

    [Fact]
    public async Task A_refused_line_and_a_closed_connection_end_the_exchange()
    {
        var refused = await SaslExchange.RunAsync(new PlainServer(TestSecurity.Context(_source)), "PLAIN", null, null, MaxResponse,
            (_, _) => ValueTask.FromResult(SaslResponseLine.Refused), CancellationToken.None);
        var closed = await SaslExchange.RunAsync(new PlainServer(TestSecurity.Context(_source)), "PLAIN", null, null, MaxResponse,
            (_, _) => ValueTask.FromResult(SaslResponseLine.EndOfStream), CancellationToken.None);
        Assert.Equal(SaslExchangeOutcome.InvalidResponse, refused.Outcome);
        Assert.Equal(SaslExchangeOutcome.Closed, closed.Outcome);
    }

    [Theory]
    [InlineData("\0alice\0wonderland", SaslExchangeOutcome.Succeeded)]
    [InlineData("\0alice\0guess", SaslExchangeOutcome.Failed)]
    [InlineData("no separators", SaslExchangeOutcome.Malformed)]
    public async Task The_mechanism_verdict_stands_without_account_security(string initial, SaslExchangeOutcome expected)
    {
        var result = await SaslExchange.RunAsync(new PlainServer(TestSecurity.Context(_source)), "PLAIN", Encoding.UTF8.GetBytes(initial), null, MaxResponse,
            (_, _) => throw new InvalidOperationException("no challenge expected"), CancellationToken.None);
        Assert.Equal(expected, result.Outcome);
    }

    [Fact]
    public void Initial_responses_decode_with_the_empty_form_and_the_size_bound()
    {
        Assert.True(SaslExchange.TryDecodeInitialResponse("="u8, MaxResponse, out var empty));
        Assert.True(empty.IsEmpty);
        Assert.True(SaslExchange.TryDecodeInitialResponse(Base64("\0a\0b"), MaxResponse, out var decoded));
        Assert.Equal("\0a\0b", Encoding.UTF8.GetString(decoded.Span));
        Assert.False(SaslExchange.TryDecodeInitialResponse("@@@@"u8, MaxResponse, out _));
        Assert.False(SaslExchange.TryDecodeInitialResponse(Base64("12345"), 4, out _));
    }

    [Fact]
    public void An_absent_initial_argument_is_null_and_not_an_empty_response()
    {
        Assert.True(SaslExchange.TryDecodeInitialArgument(null, MaxResponse, out var absent));
        Assert.Null(absent);
        Assert.True(SaslExchange.TryDecodeInitialArgument("=", MaxResponse, out var empty));
        Assert.True(empty is { IsEmpty: true });
        Assert.False(SaslExchange.TryDecodeInitialArgument("@@@@", MaxResponse, out _));
    }
}
