using System.Text;
using Rampart.Security.Sasl;
using Rampart.Security.Sasl.Mechanisms.Login;
using Rampart.Security.Sasl.Mechanisms.Plain;
using Rampart.Security.Tests.Support;

namespace Rampart.Security.Tests.Sasl;

public class LoginMechanismTests
{
    private readonly InMemoryCredentialSource _source = new InMemoryCredentialSource().Add("alice", TestSecurity.Credential("wonderland"));

    private LoginServer Server() => new(TestSecurity.Context(_source));

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Asks_for_user_name_then_password()
    {
        var server = Server();
        var username = await server.StartAsync(null);
        Assert.Equal("Username:", Encoding.ASCII.GetString(username.Challenge.Span));
        var password = await server.StepAsync(Bytes("alice"));
        Assert.Equal("Password:", Encoding.ASCII.GetString(password.Challenge.Span));
        var done = await server.StepAsync(Bytes("wonderland"));
        Assert.Equal(new SaslIdentity("alice", "LOGIN"), done.Identity);
    }

    [Fact]
    public async Task An_initial_response_is_the_user_name()
    {
        var server = Server();
        Assert.Equal("Password:", Encoding.ASCII.GetString((await server.StartAsync(Bytes("alice"))).Challenge.Span));
        var done = await server.StepAsync(Bytes("wrong"));
        Assert.Equal(SaslFailureReason.BadCredentials, done.FailureReason);
        Assert.Equal("alice", done.AttemptedUser);
    }

    [Fact]
    public async Task Bad_fields_are_malformed()
    {
        Assert.Equal(SaslFailureReason.Malformed, (await Server().StartAsync(ReadOnlyMemory<byte>.Empty)).FailureReason);
        Assert.Equal(SaslFailureReason.Malformed, (await Server().StartAsync(Bytes("al\0ice"))).FailureReason);
        Assert.Equal(SaslFailureReason.Malformed, (await Server().StartAsync(new byte[] { 0xFF })).FailureReason);
        Assert.Equal(SaslFailureReason.Malformed, (await Server().StartAsync(Bytes(new string('a', PlainServer.MaxFieldOctets + 1)))).FailureReason);
        Assert.Equal(0, _source.Lookups);
    }

    [Fact]
    public void Offered_only_inside_TLS_and_only_when_asked_for()
    {
        Assert.DoesNotContain("LOGIN", SaslMechanismFactory.CreateDefault().GetOfferedNames(TestSecurity.Context(_source)));
        var withLogin = SaslMechanismFactory.CreateDefault(includeLogin: true);
        Assert.Contains("LOGIN", withLogin.GetOfferedNames(TestSecurity.Context(_source)));
        Assert.DoesNotContain("LOGIN", withLogin.GetOfferedNames(TestSecurity.Context(_source, tls: false)));
    }
}
