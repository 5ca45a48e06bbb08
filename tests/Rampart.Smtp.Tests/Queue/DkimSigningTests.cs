using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Security;
using Rampart.Smtp.Dkim;
using Rampart.Smtp.Queue;

namespace Rampart.Smtp.Tests.Queue;

/// <summary>The worker puts the signer's DKIM-Signature in front of the message it sends (RFC 6376 §5), for the From
/// domain, and what arrives verifies with MimeKit's DKIM verifier.</summary>
public sealed class DkimSigningTests
{
    private static readonly AsymmetricCipherKeyPair Keys = CreateKeys();

    [Fact]
    public async Task Remote_mail_is_sent_with_the_signature_of_the_From_domain()
    {
        await using var fixture = await QueueFixture.CreateAsync();
        await using var sink = SmtpSink.Start();
        fixture.Options.Port = sink.Port;
        var signer = new MimeKitSigner(Keys.Private);
        var id = await fixture.Queue.EnqueueAsync("alice@local.test", ["bob@[127.0.0.1]"], QueueFixture.Message("signed body\r\n"));
        using var worker = new DeliveryWorker(fixture.Queue, fixture.Store, fixture.Options, NullLogger.Instance, signer);
        Assert.Null(await worker.AttemptAsync(id, CancellationToken.None));

        Assert.Equal(["local.test"], signer.Domains);
        var received = Assert.Single(sink.Messages);
        Assert.StartsWith("DKIM-Signature:", received.Text, StringComparison.Ordinal);
        var message = MimeMessage.Load(new MemoryStream(received.Data));
        var signature = message.Headers.First(h => h.Id == HeaderId.DkimSignature);
        Assert.True(await new DkimVerifier(new KeyLocator(Keys.Public)).VerifyAsync(message, signature));

        // The SIZE declared includes the signature (RFC 1870 §3).
        var size = long.Parse(sink.Commands.Single(c => c.StartsWith("MAIL", StringComparison.Ordinal)).Split("SIZE=")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(received.Data.Length, size);
    }

    private static AsymmetricCipherKeyPair CreateKeys()
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new KeyGenerationParameters(new SecureRandom(), 2048));
        return generator.GenerateKeyPair();
    }

    /// <summary>A real DKIM signer (MimeKit's) behind the queue's contract, holding a key for local.test only.</summary>
    private sealed class MimeKitSigner(AsymmetricKeyParameter key) : IMessageSigner
    {
        public List<string> Domains { get; } = [];

        public async Task<string?> SignAsync(Stream message, string domain, CancellationToken cancellationToken = default)
        {
            Domains.Add(domain);
            if (domain != "local.test")
            {
                return null;
            }

            var parsed = await MimeMessage.LoadAsync(message, cancellationToken);
            var signer = new DkimSigner(key, domain, "sel")
            {
                HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            };
            signer.Sign(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, parsed, [HeaderId.From, HeaderId.To, HeaderId.Subject]);
            var raw = Encoding.ASCII.GetString(parsed.Headers.First(h => h.Id == HeaderId.DkimSignature).RawValue).Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
            return "DKIM-Signature:" + (raw.EndsWith("\r\n", StringComparison.Ordinal) ? raw : raw + "\r\n");
        }
    }

    private sealed class KeyLocator(AsymmetricKeyParameter key) : IDkimPublicKeyLocator
    {
        public AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) => key;

        public Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) => Task.FromResult(key);
    }
}
