using System.Security.Cryptography;

namespace Rampart.Server.Tests.Scram;

/// <summary>
/// SCRAM-SHA-1 and SCRAM-SHA-1-PLUS (RFC 5802 §5) with <c>Security:ScramSha1</c> on: offered on IMAP, POP3 and
/// submission, working for an account whose password was set while it was on, and failing with the generic reply
/// for one whose password was set before (no SHA-1 keys were derived for it).
/// </summary>
public sealed class ScramSha1ServeTests(ScramSha1EnabledServer server) : IClassFixture<ScramSha1EnabledServer>
{
    public static TheoryData<string> Protocols => new() { "imap", "pop3", "smtp" };

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Scram_sha_1_and_its_plus_variant_are_offered_and_log_in(string protocol)
    {
        await using (var wire = await SaslWire.ConnectAsync(protocol, server.Port(protocol)))
        {
            Assert.Contains("SCRAM-SHA-1-PLUS", wire.Capabilities, StringComparison.Ordinal);
            Assert.Contains("SCRAM-SHA-1", wire.Capabilities.Replace("SCRAM-SHA-1-PLUS", "", StringComparison.Ordinal), StringComparison.Ordinal);
            var client = new ScramClient(HashAlgorithmName.SHA1, "alice", ScramServer.Password);
            var binding = SaslWire.ServerEndPoint(wire.ServerCertificate);
            var outcome = await wire.ExchangeAsync("SCRAM-SHA-1-PLUS", client.First("p=tls-server-end-point,,"), s => client.Final(s, binding), client.Verifies);
            Assert.True(outcome.Success, outcome.FinalLine);
            Assert.True(outcome.ServerVerified);
        }

        await using (var wire = await SaslWire.ConnectAsync(protocol, server.Port(protocol)))
        {
            var client = new ScramClient(HashAlgorithmName.SHA1, "alice", ScramServer.Password);
            var outcome = await wire.ExchangeAsync("SCRAM-SHA-1", client.First("n,,"), s => client.Final(s, []), client.Verifies);
            Assert.True(outcome.Success, outcome.FinalLine);
            Assert.True(outcome.ServerVerified);
        }
    }

    [Fact]
    public async Task The_downgrade_and_wrong_binding_rules_hold_for_sha_1_too()
    {
        await using (var wire = await SaslWire.ConnectAsync("imap", server.Port("imap")))
        {
            var client = new ScramClient(HashAlgorithmName.SHA1, "alice", ScramServer.Password);
            var outcome = await wire.ExchangeAsync("SCRAM-SHA-1", client.First("y,,"), s => client.Final(s, []), client.Verifies);
            Assert.Contains(wire.GenericFailure, outcome.FinalLine, StringComparison.Ordinal);
        }

        await using (var wire = await SaslWire.ConnectAsync("imap", server.Port("imap")))
        {
            var client = new ScramClient(HashAlgorithmName.SHA1, "alice", ScramServer.Password);
            var outcome = await wire.ExchangeAsync("SCRAM-SHA-1-PLUS", client.First("p=tls-server-end-point,,"), s => client.Final(s, new byte[32]), client.Verifies);
            Assert.Contains(wire.GenericFailure, outcome.FinalLine, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_account_whose_password_was_set_while_sha_1_was_off_has_no_sha_1_keys()
    {
        // bob's password is set by a CLI that runs without Security:ScramSha1: SCRAM-SHA-256 keys only.
        var withoutSha1 = server.Settings.Where(s => s.Key != "RAMPART__Security__ScramSha1").ToDictionary();
        server.AddUser("bob", withoutSha1);

        await using (var wire = await SaslWire.ConnectAsync("imap", server.Port("imap")))
        {
            var client = new ScramClient(HashAlgorithmName.SHA1, "bob", ScramServer.Password);
            var outcome = await wire.ExchangeAsync("SCRAM-SHA-1", client.First("n,,"), s => client.Final(s, []), client.Verifies);
            Assert.False(outcome.Success);
            Assert.Contains(wire.GenericFailure, outcome.FinalLine, StringComparison.Ordinal);
        }

        await using (var wire = await SaslWire.ConnectAsync("imap", server.Port("imap")))
        {
            var client = new ScramClient(HashAlgorithmName.SHA256, "bob", ScramServer.Password);
            var outcome = await wire.ExchangeAsync("SCRAM-SHA-256", client.First("n,,"), s => client.Final(s, []), client.Verifies);
            Assert.True(outcome.Success, outcome.FinalLine);
        }
    }
}
