using System.Text;
using Rampart.Security.Credentials;
using Rampart.Security.Sasl;
using Rampart.Security.Sasl.Mechanisms.Scram;
using Rampart.Security.Tests.Support;

namespace Rampart.Security.Tests.Sasl;

/// <summary>SCRAM-SHA-256[-PLUS], RFC 5802 and RFC 7677; SECURITY.md A04, A05, A06.</summary>
public class ScramSha256Tests
{
    private static readonly byte[] ChannelBinding = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private readonly InMemoryCredentialSource _source = new InMemoryCredentialSource()
        .Add("alice", TestSecurity.Credential("wonderland"))
        .Add("mallory", TestSecurity.Credential("evil"), enabled: false);

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private ScramSha256Server Server(bool plus = false, byte[]? channelBinding = null) =>
        new(TestSecurity.Context(_source, channelBinding: channelBinding), plus);

    /// <summary>Runs a whole exchange; returns the final step and the client, to check the server signature.</summary>
    private static async Task<(SaslStep Step, ScramTestClient Client)> ExchangeAsync(SaslServer server, ScramTestClient client)
    {
        var serverFirst = await server.StartAsync(Bytes(client.ClientFirst()));
        if (serverFirst.Kind != SaslStepKind.Continue)
        {
            return (serverFirst, client);
        }

        return (await server.StepAsync(Bytes(client.ClientFinal(Text(serverFirst.Challenge)))), client);
    }

    [Fact]
    public async Task Reproduces_the_RFC_7677_test_vector()
    {
        var salt = Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ==");
        var credential = new PasswordCredential(TestSecurity.Hasher.Hash("pencil"), ScramCredential.Derive("pencil", salt, 4096), TestSecurity.Now);
        var source = new InMemoryCredentialSource().Add("user", credential);
        var server = new ScramSha256Server(TestSecurity.Context(source), plus: false, serverNonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");

        var serverFirst = await server.StartAsync(Bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        Assert.Equal(SaslStepKind.Continue, serverFirst.Kind);
        Assert.Equal("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", Text(serverFirst.Challenge));

        var final = await server.StepAsync(Bytes(
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
        Assert.Equal(SaslStepKind.Success, final.Kind);
        Assert.Equal(new SaslIdentity("user", "SCRAM-SHA-256"), final.Identity);
        Assert.Equal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", Text(final.AdditionalData));
    }

    [Fact]
    public async Task A_full_exchange_succeeds_and_the_client_can_verify_the_server()
    {
        var server = Server();
        var (step, client) = await ExchangeAsync(server, new ScramTestClient("alice", "wonderland", ScramTestClient.RandomNonce()));
        Assert.True(step.IsSuccess);
        Assert.Equal("alice", step.Identity!.AccountName);
        Assert.True(client.VerifyServerFinal(Text(step.AdditionalData)));
        Assert.Equal(2, server.Rounds);
    }

    [Fact]
    public async Task Without_an_initial_response_the_exchange_takes_an_empty_challenge_first()
    {
        var server = Server();
        var client = new ScramTestClient("alice", "wonderland", ScramTestClient.RandomNonce());
        var empty = await server.StartAsync(null);
        Assert.True(empty.Challenge.IsEmpty);
        var serverFirst = await server.StepAsync(Bytes(client.ClientFirst()));
        var final = await server.StepAsync(Bytes(client.ClientFinal(Text(serverFirst.Challenge))));
        Assert.True(final.IsSuccess);
    }

    [Fact]
    public async Task The_server_nonce_is_fresh_random_and_long()
    {
        var nonces = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            var serverFirst = await Server().StartAsync(Bytes("n,,n=alice,r=abc"));
            var nonce = Text(serverFirst.Challenge).Split(',')[0][2..];
            Assert.StartsWith("abc", nonce);
            Assert.True(Convert.FromBase64String(nonce[3..]).Length >= ScramSha256Server.ServerNonceBytes);
            nonces.Add(nonce);
        }

        Assert.Equal(5, nonces.Count);
    }

    [Fact]
    public async Task A_wrong_password_fails_at_the_proof()
    {
        var (step, _) = await ExchangeAsync(Server(), new ScramTestClient("alice", "wonderlanD", "nonce"));
        Assert.Equal(SaslFailureReason.BadCredentials, step.FailureReason);
        Assert.Equal("alice", step.AttemptedUser);
    }

    [Fact]
    public async Task A_disabled_account_fails_even_with_the_right_proof()
    {
        var (step, _) = await ExchangeAsync(Server(), new ScramTestClient("mallory", "evil", "nonce"));
        Assert.Equal(SaslFailureReason.Disabled, step.FailureReason);
    }

    [Fact]
    public async Task A_tampered_nonce_fails()
    {
        var server = Server();
        var client = new ScramTestClient("alice", "wonderland", "clientnonce");
        var serverFirst = Text((await server.StartAsync(Bytes(client.ClientFirst()))).Challenge);
        var realNonce = serverFirst.Split(',')[0][2..];
        // The proof is computed over the tampered nonce, so only the nonce check can catch it. The last character
        // is replaced by a different one (a fixed "X" would equal it in one run out of 64).
        var tampered = realNonce[..^1] + (realNonce[^1] == 'X' ? "Y" : "X");
        Assert.NotEqual(realNonce, tampered);
        var final = await server.StepAsync(Bytes(client.ClientFinal(serverFirst, nonceOverride: tampered)));
        Assert.Equal(SaslStepKind.Failure, final.Kind);
        Assert.Equal(SaslFailureReason.BadCredentials, final.FailureReason);
    }

    [Fact]
    public async Task A_replayed_client_final_fails_on_a_new_exchange()
    {
        var client = new ScramTestClient("alice", "wonderland", "replaynonce");
        var first = Server();
        var serverFirst = Text((await first.StartAsync(Bytes(client.ClientFirst()))).Challenge);
        var clientFinal = client.ClientFinal(serverFirst);
        Assert.True((await first.StepAsync(Bytes(clientFinal))).IsSuccess);

        // The attacker replays both client messages on a new connection.
        var second = Server();
        Assert.Equal(SaslStepKind.Continue, (await second.StartAsync(Bytes(client.ClientFirst()))).Kind);
        var replay = await second.StepAsync(Bytes(clientFinal));
        Assert.Equal(SaslStepKind.Failure, replay.Kind);
        Assert.Equal(SaslFailureReason.BadCredentials, replay.FailureReason);
    }

    [Fact]
    public async Task A_client_claiming_no_server_binding_support_is_refused_when_PLUS_was_offered()
    {
        // 'y' = "I support channel binding but think the server does not": a downgrade if the server does.
        var (downgraded, _) = await ExchangeAsync(Server(channelBinding: ChannelBinding), new ScramTestClient("alice", "wonderland", "n1", "y,,"));
        Assert.Equal(SaslFailureReason.ChannelBindingMismatch, downgraded.FailureReason);

        // Without channel binding on the connection, 'y' is honest and accepted.
        var (honest, _) = await ExchangeAsync(Server(), new ScramTestClient("alice", "wonderland", "n2", "y,,"));
        Assert.True(honest.IsSuccess);

        // 'n' (client cannot bind) is accepted either way.
        var (unbound, _) = await ExchangeAsync(Server(channelBinding: ChannelBinding), new ScramTestClient("alice", "wonderland", "n3"));
        Assert.True(unbound.IsSuccess);
    }

    [Fact]
    public async Task PLUS_with_the_right_binding_succeeds()
    {
        var server = Server(plus: true, channelBinding: ChannelBinding);
        var client = new ScramTestClient("alice", "wonderland", "plusnonce", "p=tls-server-end-point,,", ChannelBinding);
        var (step, _) = await ExchangeAsync(server, client);
        Assert.True(step.IsSuccess);
        Assert.Equal("SCRAM-SHA-256-PLUS", step.Identity!.Mechanism);
        Assert.True(client.VerifyServerFinal(Text(step.AdditionalData)));
    }

    [Fact]
    public async Task PLUS_with_other_binding_data_fails()
    {
        var otherConnection = ChannelBinding.Reverse().ToArray();
        var client = new ScramTestClient("alice", "wonderland", "plusnonce", "p=tls-server-end-point,,", otherConnection);
        var (step, _) = await ExchangeAsync(Server(plus: true, channelBinding: ChannelBinding), client);
        Assert.Equal(SaslFailureReason.ChannelBindingMismatch, step.FailureReason);
    }

    [Fact]
    public async Task A_c_attribute_that_does_not_repeat_the_GS2_header_fails()
    {
        var server = Server();
        var serverFirst = Text((await server.StartAsync(Bytes("n,,n=alice,r=abc"))).Challenge);
        var nonce = serverFirst.Split(',')[0];
        // "eSws" is base64("y,,"): the header the client sent was "n,,".
        var step = await server.StepAsync(Bytes($"c=eSws,{nonce},p={Convert.ToBase64String(new byte[32])}"));
        Assert.Equal(SaslFailureReason.ChannelBindingMismatch, step.FailureReason);
    }

    [Theory]
    [InlineData(true, "n,,")]                          // -PLUS requires binding
    [InlineData(true, "y,,")]
    [InlineData(true, "p=tls-unique,,")]               // a type Rampart does not offer
    [InlineData(false, "p=tls-server-end-point,,")]    // binding on the non-PLUS mechanism
    public async Task Channel_binding_flags_that_do_not_fit_the_mechanism_fail(bool plus, string gs2Header)
    {
        var step = await Server(plus, ChannelBinding).StartAsync(Bytes(gs2Header + "n=alice,r=abc"));
        Assert.Equal(SaslFailureReason.ChannelBindingMismatch, step.FailureReason);
    }

    [Fact]
    public async Task PLUS_fails_when_the_connection_has_no_binding()
    {
        var step = await Server(plus: true).StartAsync(Bytes("p=tls-server-end-point,,n=alice,r=abc"));
        Assert.Equal(SaslFailureReason.ChannelBindingMismatch, step.FailureReason);
    }

    [Fact]
    public async Task An_unknown_user_gets_a_stable_decoy_salt_and_fails_only_at_the_proof()
    {
        async Task<string> ServerFirstFor(string user) =>
            Text((await Server().StartAsync(Bytes($"n,,n={user},r=abc"))).Challenge);

        static string[] SaltAndIterations(string serverFirst) => serverFirst.Split(',')[1..];

        var first = SaltAndIterations(await ServerFirstFor("nobody"));
        var second = SaltAndIterations(await ServerFirstFor("nobody"));
        var other = SaltAndIterations(await ServerFirstFor("somebody"));
        Assert.Equal(first, second);
        Assert.NotEqual(first[0], other[0]);
        Assert.Equal("i=4096", first[1]);
        // It looks like a real account's answer: same salt length, same iterations.
        var real = SaltAndIterations(await ServerFirstFor("alice"));
        Assert.Equal(real[0].Length, first[0].Length);
        Assert.Equal(real[1], first[1]);
        var expectedSalt = Convert.ToBase64String(DecoyCredentials.ScramSalt(TestSecurity.ServerSecret, "nobody"));
        Assert.Equal("s=" + expectedSalt, first[0]);

        var (step, _) = await ExchangeAsync(Server(), new ScramTestClient("nobody", "wonderland", "abc"));
        Assert.Equal(SaslStepKind.Failure, step.Kind);
        Assert.Equal(SaslFailureReason.UnknownUser, step.FailureReason);
        Assert.Equal("nobody", step.AttemptedUser);
    }

    [Fact]
    public async Task An_account_without_a_password_looks_like_an_unknown_user()
    {
        _source.Add("carol", password: null);
        var serverFirst = Text((await Server().StartAsync(Bytes("n,,n=carol,r=abc"))).Challenge);
        Assert.Contains("s=" + Convert.ToBase64String(DecoyCredentials.ScramSalt(TestSecurity.ServerSecret, "carol")), serverFirst);
        var (step, _) = await ExchangeAsync(Server(), new ScramTestClient("carol", "x", "abc"));
        Assert.Equal(SaslFailureReason.NoCredential, step.FailureReason);
    }

    [Fact]
    public async Task Escaped_names_and_a_matching_authzid_are_accepted()
    {
        _source.Add("a,b=c", TestSecurity.Credential("pw"));
        var (escaped, _) = await ExchangeAsync(Server(), new ScramTestClient("a,b=c", "pw", "abc"));
        Assert.True(escaped.IsSuccess);
        Assert.Equal("a,b=c", escaped.Identity!.AccountName);

        var (withAuthzid, _) = await ExchangeAsync(Server(), new ScramTestClient("alice", "wonderland", "abc", "n,a=alice,"));
        Assert.True(withAuthzid.IsSuccess);
    }

    [Fact]
    public async Task An_authzid_naming_someone_else_is_refused()
    {
        var step = await Server().StartAsync(Bytes("n,a=root,n=alice,r=abc"));
        Assert.Equal(SaslFailureReason.AuthzidNotAllowed, step.FailureReason);
    }

    [Theory]
    [InlineData("n,,m=ext,n=alice,r=abc")]     // unknown mandatory extension
    [InlineData("n,,n=al=2Xice,r=abc")]        // bad escape
    [InlineData("n,,n=al=ice,r=abc")]
    [InlineData("n,,n=,r=abc")]                // empty name
    [InlineData("n,,r=abc,n=alice")]           // wrong order
    [InlineData("n,,n=alice")]                 // no nonce
    [InlineData("n,,n=alice,r=")]              // empty nonce
    [InlineData("n,,n=alice,r=a b")]           // non-printable nonce
    [InlineData("x,,n=alice,r=abc")]           // unknown flag
    [InlineData("n,b=alice,n=alice,r=abc")]    // not an authzid
    [InlineData("n,n=alice,r=abc")]            // no GS2 header
    [InlineData("p=,,n=alice,r=abc")]
    [InlineData("n,,n=alice,r=abc,")]          // empty extension
    [InlineData("")]
    public async Task Malformed_client_first_messages_fail_without_a_lookup(string message)
    {
        var step = await Server().StartAsync(Bytes(message));
        Assert.Equal(SaslFailureReason.Malformed, step.FailureReason);
        Assert.Equal(0, _source.Lookups);
    }

    [Theory]
    [InlineData("c=biws,{nonce}")]                              // no proof
    [InlineData("c=biws,{nonce},p=AAAA")]                       // proof of the wrong length
    [InlineData("c=biws,{nonce},p=not base64")]
    [InlineData("c=biws,p={proof}")]                            // no nonce
    [InlineData("{nonce},c=biws,p={proof}")]                    // wrong order
    [InlineData("c=bi ws,{nonce},p={proof}")]
    [InlineData("c=biws,{nonce},p={proof},x=1")]                // proof must be last
    public async Task Malformed_client_final_messages_fail(string template)
    {
        var server = Server();
        var serverFirst = Text((await server.StartAsync(Bytes("n,,n=alice,r=abc"))).Challenge);
        var message = template.Replace("{nonce}", serverFirst.Split(',')[0]).Replace("{proof}", Convert.ToBase64String(new byte[32]));
        var step = await server.StepAsync(Bytes(message));
        Assert.Equal(SaslFailureReason.Malformed, step.FailureReason);
        Assert.Equal("alice", step.AttemptedUser);
    }

    [Fact]
    public async Task Bad_UTF8_and_NUL_bytes_are_malformed()
    {
        Assert.Equal(SaslFailureReason.Malformed, (await Server().StartAsync(new byte[] { (byte)'n', (byte)',', 0xFF })).FailureReason);
        Assert.Equal(SaslFailureReason.Malformed, (await Server().StartAsync(Bytes("n,,n=ali\0ce,r=abc"))).FailureReason);
    }

    [Fact]
    public async Task Optional_extensions_are_ignored()
    {
        var server = Server();
        var client = new ScramTestClient("alice", "wonderland", "abc");
        var serverFirst = await server.StartAsync(Bytes(client.ClientFirst() + ",x=future"));
        Assert.Equal(SaslStepKind.Continue, serverFirst.Kind);
    }
}
