using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Rampart.Smtp.SenderChecks.Dns;

namespace Rampart.Smtp.SenderChecks.DkimVerification;

/// <summary>Finds a DKIM public key in DNS: the TXT record at <c>selector._domainkey.domain</c> (RFC 6376 §3.6.2),
/// through <see cref="DnsResolver"/>. Failures surface as <see cref="DkimKeyException"/>, temporary or permanent as
/// RFC 6376 §6.1.2 classifies them.</summary>
public sealed class DkimKeyLocator : DkimPublicKeyLocatorBase
{
    /// <summary>The longest key record accepted, in characters. Default 8192: a 4096-bit RSA key is about 750
    /// characters of base64, so this leaves room for any real key while keeping a hostile record from being parsed
    /// at length.</summary>
    public const int MaxRecordLength = 8192;

    private readonly DnsResolver dns;

    /// <param name="dns">The resolver to ask.</param>
    public DkimKeyLocator(DnsResolver dns)
    {
        this.dns = dns ?? throw new ArgumentNullException(nameof(dns));
    }

    /// <inheritdoc />
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(selector);

        // §3.5 q=: "dns/txt" is the only query method defined.
        if (!methods.Split(':').Any(m => m.Trim().Equals("dns/txt", StringComparison.OrdinalIgnoreCase)))
        {
            throw new DkimKeyException(temporary: false, $"no supported query method in q={methods}");
        }

        var name = $"{selector}._domainkey.{domain}";
        var answer = await dns.TxtAsync(name, cancellationToken).ConfigureAwait(false);
        switch (answer.Status)
        {
            case DnsStatus.TemporaryError:
                throw new DkimKeyException(temporary: true, $"DNS error looking up {name}");
            case DnsStatus.NotFound:
            case DnsStatus.NoData:
                // §6.1.2: no key record is a PERMFAIL.
                throw new DkimKeyException(temporary: false, $"no key at {name}");
        }

        var record = answer.Records.FirstOrDefault(r => r.Length <= MaxRecordLength)
            ?? throw new DkimKeyException(temporary: false, $"the key record at {name} is too long");
        var tags = DkimTags.Parse(record);
        if (tags.TryGetValue("v", out var version) && version != "DKIM1")
        {
            throw new DkimKeyException(temporary: false, $"the record at {name} is not DKIM1");
        }

        if (!tags.TryGetValue("p", out var key) || key.Length == 0)
        {
            // §3.6.1: an empty p= means the key was revoked.
            throw new DkimKeyException(temporary: false, $"the key at {name} is revoked or missing");
        }

        try
        {
            return GetPublicKey(record);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Hostile or broken key data: whatever the parser throws, the key is unusable.
            throw new DkimKeyException(temporary: false, $"the key at {name} cannot be parsed");
        }
    }
}

/// <summary>A DKIM key could not be found or used.</summary>
public sealed class DkimKeyException : Exception
{
    /// <param name="temporary">True when trying again later may succeed (a DNS error).</param>
    /// <param name="message">What went wrong.</param>
    public DkimKeyException(bool temporary, string message)
        : base(message)
    {
        Temporary = temporary;
    }

    /// <summary>True for a temporary failure (temperror), false for a permanent one (permerror).</summary>
    public bool Temporary { get; }
}
