using System.Text;
using Rampart.Security.Sasl;
using Rampart.Security.Sasl.Mechanisms.Plain;
using Rampart.Security.Tests.Support;

namespace Rampart.Security.Tests.Sasl;

/// <summary>PLAIN, RFC 4616; SECURITY.md A02.</summary>
public class PlainMechanismTests
{
    private readonly InMemoryCredentialSource _source = new InMemoryCredentialSource()
        .Add("alice", TestSecurity.Credential("wonderland"))
        .Add("mallory", TestSecurity.Credential("evil"), enabled: false);

    private async Task<SaslStep> RunAsync(byte[] message)
    {
        var server = new PlainServer(TestSecurity.Context(_source));
        return await server.StartAsync(message);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Theory]
    [InlineData("\0alice\0wonderland")]
    [InlineData("alice\0alice\0wonderland")]
    [InlineData("\0ALICE\0wonderland")]
    public async Task The_right_password_succeeds(string message)
    {
        var step = await RunAsync(Bytes(message));
        Assert.Equal(SaslStepKind.Success, step.Kind);
        Assert.Equal(new SaslIdentity("alice", "PLAIN"), step.Identity);
        Assert.True(step.AdditionalData.IsEmpty);
    }

    [Fact]
    public async Task Without_an_initial_response_the_server_sends_an_empty_challenge()
    {
        var server = new PlainServer(TestSecurity.Context(_source));
        var first = await server.StartAsync(null);
        Assert.Equal(SaslStepKind.Continue, first.Kind);
        Assert.True(first.Challenge.IsEmpty);
        var second = await server.StepAsync(Bytes("\0alice\0wonderland"));
        Assert.True(second.IsSuccess);
    }

    [Theory]
    [InlineData("\0alice\0wonderlan", SaslFailureReason.BadCredentials)]
    [InlineData("\0nobody\0wonderland", SaslFailureReason.UnknownUser)]
    [InlineData("\0mallory\0evil", SaslFailureReason.Disabled)]
    [InlineData("bob\0alice\0wonderland", SaslFailureReason.AuthzidNotAllowed)]
    public async Task Credential_failures_carry_their_reason(string message, SaslFailureReason reason)
    {
        var step = await RunAsync(Bytes(message));
        Assert.Equal(SaslStepKind.Failure, step.Kind);
        Assert.Equal(reason, step.FailureReason);
        Assert.Null(step.Identity);
    }

    [Theory]
    [InlineData("alice wonderland")]           // no NUL
    [InlineData("\0alicewonderland")]          // one NUL
    [InlineData("\0alice\0wonder\0land")]      // three NULs
    [InlineData("\0\0wonderland")]             // empty authcid
    [InlineData("\0alice\0")]                  // empty password
    [InlineData("")]
    public async Task Malformed_messages_fail_without_a_lookup(string message)
    {
        var step = await RunAsync(Bytes(message));
        Assert.Equal(SaslFailureReason.Malformed, step.FailureReason);
        Assert.Equal(0, _source.Lookups);
    }

    [Fact]
    public async Task Fields_over_255_octets_and_bad_UTF8_are_malformed()
    {
        var longName = new string('a', PlainServer.MaxFieldOctets + 1);
        Assert.Equal(SaslFailureReason.Malformed, (await RunAsync(Bytes($"\0{longName}\0pw"))).FailureReason);
        Assert.Equal(SaslFailureReason.Malformed, (await RunAsync(Bytes($"\0alice\0{longName}"))).FailureReason);
        Assert.Equal(SaslFailureReason.Malformed, (await RunAsync(Bytes($"{longName}\0alice\0pw"))).FailureReason);
        // 255 octets is still accepted (RFC 4616 §2): it reaches the credential check.
        var longest = new string('a', PlainServer.MaxFieldOctets);
        Assert.Equal(SaslFailureReason.BadCredentials, (await RunAsync(Bytes($"\0alice\0{longest}"))).FailureReason);

        byte[] badUtf8 = [0, (byte)'a', 0, 0xC3, 0x28];
        Assert.Equal(SaslFailureReason.Malformed, (await RunAsync(badUtf8)).FailureReason);
        byte[] overlong = [0, 0xC0, 0xAF, 0, (byte)'p'];
        Assert.Equal(SaslFailureReason.Malformed, (await RunAsync(overlong)).FailureReason);
    }

    [Fact]
    public async Task Unicode_passwords_are_NFKC_compared()
    {
        _source.Add("zoë", TestSecurity.Credential("\uFB01sh & chips"));
        var step = await RunAsync(Bytes("\0zoë\0fish & chips"));
        Assert.True(step.IsSuccess);
        Assert.Equal("zoë", step.Identity!.AccountName);
    }
}
