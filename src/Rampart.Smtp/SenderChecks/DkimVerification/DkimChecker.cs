using MimeKit;
using MimeKit.Cryptography;
using Rampart.Smtp.SenderChecks.Dns;

namespace Rampart.Smtp.SenderChecks.DkimVerification;

/// <summary>Verifies the DKIM-Signature header fields of a message (RFC 6376 §6) with MimeKit's
/// <see cref="DkimVerifier"/> and keys from <see cref="DkimKeyLocator"/>. It never throws for what the message or DNS
/// holds: every problem is a per-signature temperror or permerror.</summary>
/// <remarks>Two checks beyond the verifier's: the AUID (<c>i=</c>) must be in the signing domain or a subdomain of it
/// (RFC 6376 §3.5, §6.1.1), else permerror; and a body length count (<c>l=</c>) that leaves part of the body unsigned
/// makes a verified signature <see cref="DkimResult.Policy"/>, not pass. RFC 6376 §8.2 warns that content appended
/// after the signed length (a new MIME part, a different rendering) would otherwise ride on the signer's reputation;
/// a signature whose l= covers the whole body passes, and one whose l= exceeds the body fails (§3.5 l=).</remarks>
public sealed class DkimChecker
{
    /// <summary>How many signatures of one message are verified; any further ones are reported neutral without a key
    /// lookup. Default 5: real mail carries one to three (author, list, provider), while each signature costs a DNS
    /// query and an RSA operation, so an attacker's hundred signatures must not cost a hundred of each (RFC 6376 §8.4).</summary>
    public const int DefaultMaxSignatures = 5;

    private readonly DkimVerifier verifier;
    private readonly TimeProvider time;
    private readonly int maxSignatures;

    /// <param name="dns">The resolver for key records.</param>
    /// <param name="maxSignatures">The per-message signature limit.</param>
    /// <param name="time">For the x= expiry check.</param>
    public DkimChecker(DnsResolver dns, int maxSignatures = DefaultMaxSignatures, TimeProvider? time = null)
    {
        verifier = new DkimVerifier(new DkimKeyLocator(dns));

        // SHA-1 signatures can be forged; only rsa-sha256 and ed25519-sha256 are accepted.
        verifier.Disable(DkimSignatureAlgorithm.RsaSha1);
        this.maxSignatures = maxSignatures;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>Verifies every signature (up to the limit), first header first.</summary>
    /// <returns>One outcome per signature; empty when the message is unsigned.</returns>
    public async Task<IReadOnlyList<DkimOutcome>> VerifyAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var outcomes = new List<DkimOutcome>();
        foreach (var header in message.Headers.Where(h => h.Id == HeaderId.DkimSignature))
        {
            var tags = DkimTags.Parse(header.Value ?? "");
            var domain = tags.GetValueOrDefault("d", "");
            var selector = tags.GetValueOrDefault("s", "");
            if (outcomes.Count >= maxSignatures)
            {
                outcomes.Add(new DkimOutcome(DkimResult.Neutral, domain, selector, $"over the limit of {maxSignatures} signatures"));
                continue;
            }

            outcomes.Add(await VerifyOneAsync(message, header, tags, domain, selector, cancellationToken).ConfigureAwait(false));
        }

        return outcomes;
    }

    private async Task<DkimOutcome> VerifyOneAsync(MimeMessage message, Header header, Dictionary<string, string> tags, string domain, string selector, CancellationToken cancellationToken)
    {
        if (domain.Length == 0 || selector.Length == 0 || !tags.ContainsKey("b") || !tags.ContainsKey("bh") || !tags.ContainsKey("h"))
        {
            return new DkimOutcome(DkimResult.PermError, domain, selector, "signature lacks a required tag");
        }

        var algorithm = tags.GetValueOrDefault("a", "");
        if (!algorithm.Equals("rsa-sha256", StringComparison.OrdinalIgnoreCase) && !algorithm.Equals("ed25519-sha256", StringComparison.OrdinalIgnoreCase))
        {
            return new DkimOutcome(DkimResult.PermError, domain, selector, $"algorithm {Printable(algorithm)} not accepted");
        }

        if (tags.TryGetValue("i", out var identity))
        {
            // §3.5 i=: the domain part must be the same as, or a subdomain of, d=; §6.1.1: otherwise PERMFAIL.
            var at = identity.LastIndexOf('@');
            var identityDomain = at >= 0 ? identity[(at + 1)..].TrimEnd('.') : "";
            var signingDomain = domain.TrimEnd('.');
            if (at < 0 || (!identityDomain.Equals(signingDomain, StringComparison.OrdinalIgnoreCase)
                && !identityDomain.EndsWith("." + signingDomain, StringComparison.OrdinalIgnoreCase)))
            {
                return new DkimOutcome(DkimResult.PermError, domain, selector, $"i= {Printable(identity)} is not in the signing domain");
            }
        }

        long? bodyLimit = null;
        if (tags.TryGetValue("l", out var lengthText))
        {
            // §3.5 l=: 1*76DIGIT.
            if (lengthText.Length is 0 or > 76 || !lengthText.All(char.IsAsciiDigit))
            {
                return new DkimOutcome(DkimResult.PermError, domain, selector, "malformed l= body length");
            }

            bodyLimit = long.TryParse(lengthText, out var limit) ? limit : long.MaxValue;
        }

        if (tags.TryGetValue("x", out var expiry) && long.TryParse(expiry, out var seconds)
            && seconds < time.GetUtcNow().ToUnixTimeSeconds())
        {
            // §3.5 x=: signatures past their expiry MUST be considered invalid.
            return new DkimOutcome(DkimResult.Fail, domain, selector, "signature expired");
        }

        try
        {
            var valid = await verifier.VerifyAsync(message, header, cancellationToken).ConfigureAwait(false);
            if (!valid)
            {
                return new DkimOutcome(DkimResult.Fail, domain, selector, "signature or body hash did not verify");
            }

            if (bodyLimit is { } signed)
            {
                var length = await CanonicalLengthAsync(message, tags.GetValueOrDefault("c", ""), cancellationToken).ConfigureAwait(false);
                if (signed > length)
                {
                    // §3.5 l=: a count beyond the body makes the signature invalid.
                    return new DkimOutcome(DkimResult.Fail, domain, selector, "l= exceeds the body length");
                }

                if (signed < length)
                {
                    return new DkimOutcome(DkimResult.Policy, domain, selector, $"l= signs {signed} of {length} body octets");
                }
            }

            return new DkimOutcome(DkimResult.Pass, domain, selector, "signature verified");
        }
        catch (DkimKeyException e)
        {
            return new DkimOutcome(e.Temporary ? DkimResult.TempError : DkimResult.PermError, domain, selector, e.Message);
        }
        catch (FormatException)
        {
            return new DkimOutcome(DkimResult.PermError, domain, selector, "malformed signature");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever else hostile input provokes in the verifier (crypto or parser errors) is a permanent failure
            // of this one signature, never of the session.
            return new DkimOutcome(DkimResult.PermError, domain, selector, "signature could not be verified: " + e.GetType().Name);
        }
    }

    /// <summary>The body's length after the canonicalization of <c>c=</c> (header/body; the body part defaults to simple,
    /// RFC 6376 §3.5 c=), counted over the same bytes the verifier hashes.</summary>
    private static async Task<long> CanonicalLengthAsync(MimeMessage message, string canonicalization, CancellationToken cancellationToken)
    {
        var slash = canonicalization.IndexOf('/', StringComparison.Ordinal);
        var relaxed = slash >= 0 && canonicalization[(slash + 1)..].Equals("relaxed", StringComparison.OrdinalIgnoreCase);
        await using var counter = new CanonicalBodyLength(relaxed);
        if (message.Body is { } body)
        {
            await body.WriteToAsync(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, counter, contentOnly: true, cancellationToken).ConfigureAwait(false);
        }

        return counter.BodyLength;
    }

    private static string Printable(string value) =>
        new(value.Take(40).Select(c => c is >= '!' and <= '~' ? c : '?').ToArray());
}
