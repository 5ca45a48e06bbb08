using Rampart.Security.Sasl;
using Rampart.Security.Sasl.Mechanisms.Plain;
using Rampart.Security.Tests.Support;

namespace Rampart.Security.Tests.Sasl;

public class SaslServerLimitsTests
{
    /// <summary>A mechanism that never finishes: only the base class's round limit can stop it.</summary>
    private sealed class EndlessServer(SaslContext context) : SaslServer(context)
    {
        public override string MechanismName => "X-ENDLESS";

        protected override ValueTask<SaslStep> RespondAsync(ReadOnlyMemory<byte> response, CancellationToken cancellationToken) =>
            ValueTask.FromResult(SaslStep.Continue(ReadOnlyMemory<byte>.Empty));
    }

    private readonly SaslContext _context = TestSecurity.Context(new InMemoryCredentialSource());

    [Fact]
    public async Task Empty_rounds_stop_at_the_round_limit()
    {
        var server = new EndlessServer(_context);
        var step = await server.StartAsync(null);
        var rounds = 1;
        while (step.Kind == SaslStepKind.Continue && rounds < 100)
        {
            step = await server.StepAsync(ReadOnlyMemory<byte>.Empty);
            rounds++;
        }

        Assert.Equal(SaslStepKind.Failure, step.Kind);
        Assert.Equal(SaslFailureReason.Malformed, step.FailureReason);
        Assert.Equal(SaslLimits.DefaultMaxRounds + 1, rounds);
        Assert.True(server.IsCompleted);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await server.StepAsync(ReadOnlyMemory<byte>.Empty));
    }

    [Fact]
    public async Task The_round_limit_is_configurable()
    {
        var server = new EndlessServer(_context with { MaxRounds = 2 });
        Assert.Equal(SaslStepKind.Continue, (await server.StartAsync(ReadOnlyMemory<byte>.Empty)).Kind);
        Assert.Equal(SaslStepKind.Continue, (await server.StepAsync(ReadOnlyMemory<byte>.Empty)).Kind);
        Assert.Equal(SaslStepKind.Failure, (await server.StepAsync(ReadOnlyMemory<byte>.Empty)).Kind);
    }

    [Fact]
    public async Task An_oversized_response_fails_before_the_mechanism_sees_it()
    {
        var source = new InMemoryCredentialSource();
        var server = new PlainServer(TestSecurity.Context(source));
        var huge = new byte[SaslLimits.DefaultMaxResponseBytes + 1];
        "\0user\0pw"u8.CopyTo(huge);
        var step = await server.StartAsync(huge);
        Assert.Equal(SaslFailureReason.Malformed, step.FailureReason);
        Assert.Equal(0, source.Lookups);

        var megabyte = await new PlainServer(TestSecurity.Context(source)).StartAsync(new byte[1024 * 1024]);
        Assert.Equal(SaslFailureReason.Malformed, megabyte.FailureReason);
    }

    [Fact]
    public async Task A_server_starts_once()
    {
        var server = new EndlessServer(_context);
        await server.StartAsync(null);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await server.StartAsync(null));
    }
}
