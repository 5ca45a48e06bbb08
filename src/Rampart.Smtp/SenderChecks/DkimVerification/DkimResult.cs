namespace Rampart.Smtp.SenderChecks.DkimVerification;

/// <summary>The DKIM results of RFC 8601 §2.7.1.</summary>
public enum DkimResult
{
    /// <summary>The message was not signed.</summary>
    None,

    /// <summary>The signature verified.</summary>
    Pass,

    /// <summary>The signature or body hash did not verify (or the signature expired).</summary>
    Fail,

    /// <summary>The signature verified but is not acceptable here: its <c>l=</c> leaves part of the body unsigned
    /// (RFC 6376 §8.2). Not a pass for DMARC.</summary>
    Policy,

    /// <summary>The signature could not be evaluated for a reason that is neither pass nor fail (e.g. over the
    /// per-message signature limit).</summary>
    Neutral,

    /// <summary>A temporary failure, typically a DNS error fetching the key.</summary>
    TempError,

    /// <summary>A permanent failure: a malformed signature, a missing or revoked key, an unaccepted algorithm.</summary>
    PermError,
}

/// <summary>The outcome of one DKIM-Signature.</summary>
/// <param name="Result">The result.</param>
/// <param name="Domain">The signing domain (d=), as the signature states it; empty when absent.</param>
/// <param name="Selector">The selector (s=); empty when absent.</param>
/// <param name="Reason">Why, for a comment in Authentication-Results.</param>
public sealed record DkimOutcome(DkimResult Result, string Domain, string Selector, string Reason);
