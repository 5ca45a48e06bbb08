using System.Text;
using MimeKit;
using MimeKit.Cryptography;

namespace Rampart.Smtp.Dkim;

/// <summary>Signs outgoing mail with the domain's key from <see cref="DkimKeyring"/> using MimeKit's
/// <see cref="DkimSigner"/>: relaxed/relaxed canonicalization, SHA-256, and From signed twice so that no second From
/// can be added without breaking the signature (RFC 6376 §5.4.2, §8.15).</summary>
public sealed class DkimMessageSigner : IMessageSigner
{
    /// <summary>The header fields signed when present (RFC 6376 §5.4.1's recommendations); From is always signed and
    /// listed once more for oversigning.</summary>
    public static IReadOnlyList<string> SignedHeaders { get; } =
    [
        "From", "To", "Cc", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "Reply-To", "In-Reply-To", "References",
    ];

    private readonly DkimKeyring keyring;

    /// <param name="keyring">Where the keys are.</param>
    public DkimMessageSigner(DkimKeyring keyring)
    {
        this.keyring = keyring ?? throw new ArgumentNullException(nameof(keyring));
    }

    /// <inheritdoc />
    public async Task<string?> SignAsync(Stream message, string domain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(domain);
        var key = keyring.Find(domain);
        if (key is null)
        {
            return null;
        }

        // Persistent: the parsed parts refer to the seekable stream instead of copying the body into memory.
        var parsed = await MimeMessage.LoadAsync(message, persistent: true, cancellationToken).ConfigureAwait(false);
        var signer = new DkimSigner(key.PrivateKey, key.Domain, key.Selector,
            key.Algorithm == DkimKeyAlgorithm.Ed25519 ? DkimSignatureAlgorithm.Ed25519Sha256 : DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };

        var present = SignedHeaders.Where(h => h == "From" || parsed.Headers.Contains(h)).ToList();
        present.Add("From");
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        signer.Sign(options, parsed, present);

        var header = parsed.Headers.First(h => h.Id == HeaderId.DkimSignature);
        var value = Encoding.ASCII.GetString(header.RawValue).Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        if (!value.EndsWith("\r\n", StringComparison.Ordinal))
        {
            value += "\r\n";
        }

        return "DKIM-Signature:" + value;
    }
}
