namespace Rampart.Smtp.SenderChecks.Spf;

/// <summary>The processing limits of RFC 7208 §4.6.4, which keep one SPF check from turning the receiver into a DNS
/// amplifier. Over any of them the result is permerror.</summary>
public sealed record SpfLimits
{
    /// <summary>Terms that cause DNS queries (include, a, mx, ptr, exists, redirect) over the whole evaluation,
    /// nested includes and redirects counted. Default 10, the RFC's figure.</summary>
    public int DnsMechanisms { get; init; } = 10;

    /// <summary>Lookups that return NXDOMAIN or no records. Default 2, the RFC's recommendation.</summary>
    public int VoidLookups { get; init; } = 2;

    /// <summary>MX records one <c>mx</c> mechanism may look up addresses for; more is permerror. Default 10.</summary>
    public int MxNames { get; init; } = 10;

    /// <summary>PTR names one <c>ptr</c> mechanism or <c>%{p}</c> macro validates; the rest are ignored. Default 10.</summary>
    public int PtrNames { get; init; } = 10;

    /// <summary>The longest SPF record accepted, in characters. Default 4096: DNS over UDP answers rarely exceed
    /// 512 bytes, and nothing legitimate comes near this, while a hostile record could otherwise be megabytes over TCP.</summary>
    public int RecordLength { get; init; } = 4096;

    /// <summary>The RFC's figures.</summary>
    public static SpfLimits Default { get; } = new();
}
