namespace Rampart.Smtp.SenderChecks.Spf;

/// <summary>The results of <c>check_host()</c> (RFC 7208 §2.6).</summary>
public enum SpfResult
{
    /// <summary>No SPF record, or no checkable domain (§2.6.1).</summary>
    None,

    /// <summary>The domain makes no assertion about the client (§2.6.2).</summary>
    Neutral,

    /// <summary>The client is authorized (§2.6.3).</summary>
    Pass,

    /// <summary>The client is explicitly not authorized (§2.6.4).</summary>
    Fail,

    /// <summary>Probably not authorized (§2.6.5).</summary>
    SoftFail,

    /// <summary>A transient DNS error (§2.6.6).</summary>
    TempError,

    /// <summary>The published records could not be interpreted, or a processing limit was hit (§2.6.7).</summary>
    PermError,
}

/// <summary>The outcome of one SPF check.</summary>
/// <param name="Result">The result.</param>
/// <param name="Identity">Which identity was checked: <c>mailfrom</c> or <c>helo</c> (RFC 8601 §2.7.2).</param>
/// <param name="Domain">The domain checked (the MAIL FROM domain or the HELO name).</param>
/// <param name="Sender">The identity as checked: the reverse path, or <c>postmaster@</c> the HELO name.</param>
/// <param name="Reason">Why, for a comment in Authentication-Results; never null.</param>
/// <param name="Explanation">On fail, the domain's <c>exp=</c> text (§6.2), when it published one.</param>
public sealed record SpfOutcome(SpfResult Result, string Identity, string Domain, string Sender, string Reason, string? Explanation = null);
