using System.Text.Json.Nodes;
using Rampart.Security.Credentials;
using Rampart.Security.Tests.Support;

namespace Rampart.Security.Tests.Credentials;

public class PasswordCredentialTests
{
    [Fact]
    public void Create_derives_both_hashes_and_round_trips_through_Serialize()
    {
        var credential = TestSecurity.Credential("a long passphrase");
        Assert.True(TestSecurity.Hasher.Verify("a long passphrase", credential.PasswordHash));
        Assert.Equal(ScramCredential.DefaultIterations, credential.Scram.Iterations);
        Assert.Equal(ScramCredential.SaltLength, credential.Scram.Salt.Length);
        Assert.Equal(TestSecurity.Now, credential.ChangedAt);

        var text = credential.Serialize();
        var parsed = PasswordCredential.Parse(text);
        Assert.Equal(credential.PasswordHash, parsed.PasswordHash);
        Assert.Equal(credential.Scram.Salt.ToArray(), parsed.Scram.Salt.ToArray());
        Assert.Equal(credential.Scram.Iterations, parsed.Scram.Iterations);
        Assert.Equal(credential.Scram.StoredKey.ToArray(), parsed.Scram.StoredKey.ToArray());
        Assert.Equal(credential.Scram.ServerKey.ToArray(), parsed.Scram.ServerKey.ToArray());
        Assert.Equal(credential.ChangedAt, parsed.ChangedAt);
        Assert.Equal(text, parsed.Serialize());
    }

    [Fact]
    public void The_document_holds_no_password_and_says_its_version()
    {
        var text = TestSecurity.Credential("find-me-if-you-can").Serialize();
        Assert.DoesNotContain("find-me", text);
        var json = JsonNode.Parse(text)!;
        Assert.Equal(1, (int)json["v"]!);
        Assert.StartsWith("$argon2id$", (string)json["argon2id"]!);
        Assert.NotNull(json["scramSha256"]!["storedKey"]);
    }

    [Fact]
    public void Each_credential_gets_a_fresh_SCRAM_salt()
    {
        Assert.NotEqual(
            TestSecurity.Credential("same").Scram.Salt.ToArray(),
            TestSecurity.Credential("same").Scram.Salt.ToArray());
    }

    [Fact]
    public void Passwords_SASLprep_refuses_are_refused()
    {
        Assert.Throws<ArgumentException>(() => TestSecurity.Credential("bell\u0007"));
        Assert.Throws<ArgumentException>(() => TestSecurity.Credential(""));
        Assert.Throws<ArgumentOutOfRangeException>(() => PasswordCredential.Create("pw", TestSecurity.Hasher, TestSecurity.Now, scramIterations: 4095));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("[]")]
    public void Garbage_does_not_parse(string text)
    {
        Assert.False(PasswordCredential.TryParse(text, out _));
        Assert.Throws<FormatException>(() => PasswordCredential.Parse(text));
    }

    [Theory]
    [InlineData("v", 2)]
    [InlineData("iterations", 4095)]
    [InlineData("iterations", 10_000_001)]
    [InlineData("argon2id", "$argon2i$v=19$m=1024,t=2,p=1$c29tZXNhbHQwMTIzNDU2Nw$03QH96n0W1Y1iZKMHIGDP8Wzb6MLTzWm/yn2sYXDPNY")]
    [InlineData("storedKey", "AAAA")]
    [InlineData("salt", "AAAA")]
    public void A_document_with_one_bad_part_does_not_parse(string field, object value)
    {
        var json = JsonNode.Parse(TestSecurity.Credential("pw").Serialize())!.AsObject();
        var target = json.ContainsKey(field) ? json : json["scramSha256"]!.AsObject();
        target[field] = JsonValue.Create(value);
        Assert.False(PasswordCredential.TryParse(json.ToJsonString(), out _));
    }

    [Fact]
    public void An_oversized_document_is_refused_before_parsing()
    {
        Assert.False(PasswordCredential.TryParse(new string(' ', PasswordCredential.MaxSerializedLength + 1), out _));
    }
}
