namespace Rampart.Smtp.Outbound.MtaSts;

/// <summary>A policy as fetched: the TXT id it belonged to, when it was fetched, the policy text and its parse.</summary>
public sealed record CachedMtaStsPolicy(string Id, DateTimeOffset Fetched, string Text, MtaStsPolicy Policy)
{
    /// <summary>When the policy stops applying (RFC 8461 §5.1: max_age after the fetch).</summary>
    public DateTimeOffset Expires => Fetched + Policy.MaxAge;
}
