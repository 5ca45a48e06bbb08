using System.Text;
using Rampart.Security.Sasl;
using Rampart.Security.Sasl.Gssapi;
using Rampart.Security.Tests.Support;

namespace Rampart.Security.Tests.Gssapi;

/// <summary>GSSAPI (RFC 4752) without a KDC: the principal mapping, the security-layer message, when the mechanism is
/// offered, and tokens the Kerberos library refuses. The exchange with real tickets is tested against an MIT KDC in
/// Rampart.Server.Tests (Kerberos).</summary>
public class GssapiMechanismTests
{
    private static readonly GssapiOptions Options = new()
    {
        Realm = "RAMPART.TEST",
        Principals = new Dictionary<string, string>(StringComparer.Ordinal) { ["robert@PARTNER.ORG"] = "bob", ["svc/alice@RAMPART.TEST"] = "alice" },
    };

    [Theory]
    [InlineData("alice@RAMPART.TEST", "alice")]
    [InlineData("robert@PARTNER.ORG", "bob")]
    [InlineData("svc/alice@RAMPART.TEST", "alice")]
    [InlineData("alice@rampart.test", null)]     // realms are case-sensitive
    [InlineData("alice@OTHER.TEST", null)]
    [InlineData("alice/admin@RAMPART.TEST", null)] // an instance is another principal
    [InlineData("alice@EVIL@RAMPART.TEST", null)]
    [InlineData("alice\\@example.com@RAMPART.TEST", null)]
    [InlineData("@RAMPART.TEST", null)]
    [InlineData("alice", null)]
    public void Principals_map_to_accounts_by_realm_or_explicitly(string principal, string? account) =>
        Assert.Equal(account, Options.AccountFor(principal));

    [Fact]
    public void The_offer_is_no_security_layer_with_size_zero() =>
        Assert.Equal(new byte[] { 1, 0, 0, 0 }, GssapiSecurityLayer.Offer());

    [Theory]
    [InlineData(new byte[] { 1, 0, 0, 0 }, "")]
    [InlineData(new byte[] { 1, 0, 16, 0, (byte)'a', (byte)'l', (byte)'i', (byte)'c', (byte)'e' }, "alice")]
    public void A_choice_of_no_layer_carries_the_authorization_identity(byte[] message, string authzid)
    {
        Assert.True(GssapiSecurityLayer.TryReadChoice(message, out var read));
        Assert.Equal(authzid, read);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 1, 0, 0 })]             // short
    [InlineData(new byte[] { 2, 0, 0, 0 })]          // integrity: not offered
    [InlineData(new byte[] { 4, 0, 0, 0 })]          // confidentiality: not offered
    [InlineData(new byte[] { 3, 0, 0, 0 })]          // more than one bit
    [InlineData(new byte[] { 1, 0, 0, 0, 0x61, 0 })] // NUL in the authzid
    [InlineData(new byte[] { 1, 0, 0, 0, 0xC3 })]    // not UTF-8
    public void Other_choices_are_refused(byte[] message) =>
        Assert.False(GssapiSecurityLayer.TryReadChoice(message, out _));

    [Fact]
    public void An_authorization_identity_over_the_limit_is_refused()
    {
        byte[] at = [1, 0, 0, 0, .. Encoding.ASCII.GetBytes(new string('a', GssapiSecurityLayer.MaxAuthorizationIdOctets))];
        Assert.True(GssapiSecurityLayer.TryReadChoice(at, out _));
        Assert.False(GssapiSecurityLayer.TryReadChoice([.. at, (byte)'a'], out _));
    }

    [Fact]
    public void Offered_only_inside_tls()
    {
        var mechanism = new GssapiMechanism(Options);
        var factory = SaslMechanismFactory.CreateDefault().With([mechanism]);
        var source = new InMemoryCredentialSource();
        Assert.Contains("GSSAPI", factory.GetOfferedNames(TestSecurity.Context(source, tls: true)));
        Assert.DoesNotContain("GSSAPI", factory.GetOfferedNames(TestSecurity.Context(source, tls: false)));
        Assert.False(factory.TryCreateServer("GSSAPI", TestSecurity.Context(source, tls: false), out _));
        Assert.DoesNotContain("GSSAPI", SaslMechanismFactory.CreateDefault().GetOfferedNames(TestSecurity.Context(source, tls: true)));
    }

    [Fact]
    public async Task The_client_speaks_first_with_an_empty_challenge()
    {
        var server = new GssapiMechanism(Options).CreateServer(TestSecurity.Context(new InMemoryCredentialSource()));
        var first = await server.StartAsync(null);
        Assert.Equal(SaslStepKind.Continue, first.Kind);
        Assert.True(first.Challenge.IsEmpty);
    }

    [Fact]
    public async Task An_empty_first_token_is_malformed()
    {
        var server = new GssapiMechanism(Options).CreateServer(TestSecurity.Context(new InMemoryCredentialSource()));
        var step = await server.StartAsync(ReadOnlyMemory<byte>.Empty);
        Assert.True(step.IsFailure);
        Assert.Equal(SaslFailureReason.Malformed, step.FailureReason);
    }

    [Theory]
    [InlineData("not a kerberos token")]
    // An AP-REQ-shaped GSS header (RFC 2743 §3.1, the krb5 OID, TOK_ID 01 00) with garbage behind it.
    [InlineData("\u0060\u0010\u0006\u0009\u002a\u0086\u0048\u0086\u00f7\u0012\u0001\u0002\u0002\u0001\u0000garbage")]
    public async Task A_token_the_kerberos_library_refuses_fails_as_bad_credentials(string token)
    {
        var server = new GssapiMechanism(Options).CreateServer(TestSecurity.Context(new InMemoryCredentialSource()));
        var step = await server.StartAsync(Encoding.Latin1.GetBytes(token));
        Assert.True(step.IsFailure);
        Assert.Equal(SaslFailureReason.BadCredentials, step.FailureReason);
        Assert.Null(step.Identity);
    }
}
