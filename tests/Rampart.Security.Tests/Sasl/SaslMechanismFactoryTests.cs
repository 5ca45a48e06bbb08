using Rampart.Security.Sasl;
using Rampart.Security.Sasl.Mechanisms.Plain;
using Rampart.Security.Sasl.Mechanisms.Scram;
using Rampart.Security.Tests.Support;

namespace Rampart.Security.Tests.Sasl;

public class SaslMechanismFactoryTests
{
    private sealed class PasswordEquivalentMechanism : ISaslMechanism
    {
        public string Name => "CRAM-MD5";

        public bool RequiresTls => false;

        public bool IsPasswordEquivalent => true;

        public bool IsAvailable(SaslContext context) => true;

        public SaslServer CreateServer(SaslContext context) => throw new NotSupportedException();
    }

    private readonly SaslMechanismFactory _factory = SaslMechanismFactory.CreateDefault();
    private readonly InMemoryCredentialSource _source = new();

    [Fact]
    public void Offers_what_the_connection_allows_strongest_first()
    {
        Assert.Equal(["SCRAM-SHA-256"], _factory.GetOfferedNames(TestSecurity.Context(_source, tls: false)));
        Assert.Equal(["SCRAM-SHA-256", "PLAIN"], _factory.GetOfferedNames(TestSecurity.Context(_source)));
        Assert.Equal(
            ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "PLAIN"],
            _factory.GetOfferedNames(TestSecurity.Context(_source, channelBinding: new byte[32])));
    }

    [Fact]
    public void Creates_servers_by_case_insensitive_name_only_when_offered()
    {
        var tls = TestSecurity.Context(_source);
        Assert.True(_factory.TryCreateServer("plain", tls, out var plain));
        Assert.IsType<PlainServer>(plain);
        Assert.Equal("PLAIN", plain.MechanismName);
        Assert.True(_factory.TryCreateServer("Scram-Sha-256", tls, out var scram));
        Assert.Equal("SCRAM-SHA-256", scram.MechanismName);

        Assert.False(_factory.TryCreateServer("PLAIN", TestSecurity.Context(_source, tls: false), out _));
        Assert.False(_factory.TryCreateServer("SCRAM-SHA-256-PLUS", tls, out _));
        Assert.True(_factory.TryCreateServer("SCRAM-SHA-256-PLUS", TestSecurity.Context(_source, channelBinding: new byte[32]), out var plus));
        Assert.Equal("SCRAM-SHA-256-PLUS", plus.MechanismName);
        Assert.False(_factory.TryCreateServer("DIGEST-MD5", tls, out _));
        Assert.False(_factory.TryCreateServer("", tls, out _));
    }

    [Fact]
    public void Password_equivalent_mechanisms_need_an_explicit_opt_in()
    {
        var context = TestSecurity.Context(_source);
        var mechanisms = new ISaslMechanism[] { ScramSha256Mechanism.Standard, new PasswordEquivalentMechanism() };
        Assert.DoesNotContain("CRAM-MD5", new SaslMechanismFactory(mechanisms).GetOfferedNames(context));
        Assert.Contains("CRAM-MD5", new SaslMechanismFactory(mechanisms, allowPasswordEquivalent: true).GetOfferedNames(context));
        Assert.DoesNotContain(_factory.Mechanisms, m => m.IsPasswordEquivalent);
    }

    [Fact]
    public void Duplicate_names_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new SaslMechanismFactory([PlainMechanism.Instance, PlainMechanism.Instance]));
    }

    [Fact]
    public void The_context_refuses_values_out_of_bounds()
    {
        Assert.Throws<ArgumentException>(() => TestSecurity.Context(_source) with { ServerSecret = new byte[31] });
        Assert.Throws<ArgumentOutOfRangeException>(() => TestSecurity.Context(_source) with { MaxRounds = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => TestSecurity.Context(_source) with { MaxResponseBytes = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => TestSecurity.Context(_source) with { ScramIterations = 4095 });
    }
}
