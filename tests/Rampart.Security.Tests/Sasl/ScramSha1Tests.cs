using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Rampart.Security.Credentials;
using Rampart.Security.Policy;
using Rampart.Security.Sasl;
using Rampart.Security.Sasl.Mechanisms.Scram;
using Rampart.Security.Tests.Support;

namespace Rampart.Security.Tests.Sasl;

/// <summary>SCRAM-SHA-1[-PLUS] (RFC 5802 §5), offered only when an admin enables it, and the SHA-1 keys behind it.</summary>
public class ScramSha1Tests
{
    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Reproduces_the_RFC_5802_test_vector()
    {
        var salt = Convert.FromBase64String("QSXCR+Q6sek8bf92");
        var credential = new PasswordCredential(
            TestSecurity.Hasher.Hash("pencil"),
            ScramCredential.Derive("pencil", salt, 4096),
            ScramCredential.Derive(HashAlgorithmName.SHA1, "pencil", salt, 4096),
            TestSecurity.Now);
        var source = new InMemoryCredentialSource().Add("user", credential);
        var server = new ScramSha1Server(TestSecurity.Context(source), plus: false, serverNonce: "3rfcNHYJY1ZVvWVs7j");

        var serverFirst = await server.StartAsync(Bytes("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"));
        Assert.Equal(SaslStepKind.Continue, serverFirst.Kind);
        Assert.Equal("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096", Text(serverFirst.Challenge));

        var final = await server.StepAsync(Bytes("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="));
        Assert.Equal(SaslStepKind.Success, final.Kind);
        Assert.Equal(new SaslIdentity("user", "SCRAM-SHA-1"), final.Identity);
        Assert.Equal("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=", Text(final.AdditionalData));
    }

    [Fact]
    public async Task The_RFC_5802_proof_fails_against_the_sha_256_server()
    {
        var salt = Convert.FromBase64String("QSXCR+Q6sek8bf92");
        var credential = new PasswordCredential(
            TestSecurity.Hasher.Hash("pencil"), ScramCredential.Derive("pencil", salt, 4096), ScramCredential.Derive(HashAlgorithmName.SHA1, "pencil", salt, 4096), TestSecurity.Now);
        var server = new ScramSha256Server(TestSecurity.Context(new InMemoryCredentialSource().Add("user", credential)), plus: false, serverNonce: "3rfcNHYJY1ZVvWVs7j");
        await server.StartAsync(Bytes("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"));
        var final = await server.StepAsync(Bytes("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="));
        Assert.False(final.IsSuccess);
    }

    [Fact]
    public async Task An_account_without_sha_1_keys_shows_its_own_salt_and_fails_at_the_proof()
    {
        // Its password was set while SCRAM-SHA-1 was off: same salt as SCRAM-SHA-256 (no tell), then the generic failure.
        var credential = TestSecurity.Credential("wonderland");
        Assert.Null(credential.ScramSha1);
        var source = new InMemoryCredentialSource().Add("alice", credential);
        var server = new ScramSha1Server(TestSecurity.Context(source), plus: false);

        var serverFirst = await server.StartAsync(Bytes("n,,n=alice,r=abcdefgh"));
        Assert.Contains(",s=" + Convert.ToBase64String(credential.Scram.Salt) + ",", Text(serverFirst.Challenge), StringComparison.Ordinal);
        var final = await server.StepAsync(Bytes("c=biws,r=" + Text(serverFirst.Challenge).Split(',')[0][2..] + ",p=" + Convert.ToBase64String(new byte[20])));
        Assert.Equal(SaslStepKind.Failure, final.Kind);
        Assert.Equal(SaslFailureReason.NoCredential, final.FailureReason);
    }

    [Fact]
    public void Sha_1_keys_are_derived_only_when_asked_share_the_salt_and_round_trip()
    {
        var without = PasswordCredential.Create("a long passphrase", TestSecurity.Hasher, TestSecurity.Now);
        Assert.Null(without.ScramSha1);
        Assert.Null(JsonNode.Parse(without.Serialize())!["scramSha1"]);

        var with = PasswordCredential.Create("a long passphrase", TestSecurity.Hasher, TestSecurity.Now, withScramSha1: true);
        Assert.NotNull(with.ScramSha1);
        Assert.Equal(HashAlgorithmName.SHA1, with.ScramSha1.Algorithm);
        Assert.Equal(with.Scram.Salt.ToArray(), with.ScramSha1.Salt.ToArray());
        Assert.Equal(ScramCredential.Sha1KeyLength, with.ScramSha1.StoredKey.Length);
        var text = with.Serialize();
        Assert.DoesNotContain("passphrase", text, StringComparison.Ordinal);
        var parsed = PasswordCredential.Parse(text);
        Assert.Equal(with.ScramSha1.StoredKey.ToArray(), parsed.ScramSha1!.StoredKey.ToArray());
        Assert.Equal(with.ScramSha1.ServerKey.ToArray(), parsed.ScramSha1.ServerKey.ToArray());
        Assert.Equal(text, parsed.Serialize());

        // A damaged SHA-1 part makes the record unreadable, like any damaged part.
        var json = JsonNode.Parse(text)!;
        json["scramSha1"]!["storedKey"] = Convert.ToBase64String(new byte[32]);
        Assert.False(PasswordCredential.TryParse(json.ToJsonString(), out _));
    }

    [Fact]
    public async Task The_password_changer_stores_sha_1_keys_only_when_enabled()
    {
        var secrets = new MemoryAccountSecrets();
        await new PasswordChanger(secrets, TestSecurity.Hasher, PasswordPolicy.FromProfile("nist", null)).ChangeAsync("alice", "plum-ladder-quietly-77", default);
        Assert.Null(PasswordCredential.Parse((await secrets.GetAsync("alice", SecretKinds.Password, default))!).ScramSha1);

        await new PasswordChanger(secrets, TestSecurity.Hasher, PasswordPolicy.FromProfile("nist", null)) { ScramSha1 = true }.ChangeAsync("bob", "plum-ladder-quietly-77", default);
        Assert.NotNull(PasswordCredential.Parse((await secrets.GetAsync("bob", SecretKinds.Password, default))!).ScramSha1);
    }

    [Fact]
    public void Sha_1_mechanisms_are_not_in_the_default_set_and_are_not_password_equivalent()
    {
        var names = SaslMechanismFactory.CreateDefault(includeLogin: true).Mechanisms.Select(m => m.Name).ToList();
        Assert.DoesNotContain(names, n => n.StartsWith("SCRAM-SHA-1", StringComparison.Ordinal));
        Assert.False(ScramSha1Mechanism.Standard.IsPasswordEquivalent);
        Assert.Equal("SCRAM-SHA-1-PLUS", ScramSha1Mechanism.Plus.Name);

        var context = TestSecurity.Context(new InMemoryCredentialSource(), channelBinding: new byte[32]);
        var offered = SaslMechanismFactory.CreateDefault().With([ScramSha1Mechanism.Plus, ScramSha1Mechanism.Standard]).GetOfferedNames(context);
        Assert.Contains("SCRAM-SHA-1-PLUS", offered);
        Assert.Contains("SCRAM-SHA-1", offered);
    }
}
