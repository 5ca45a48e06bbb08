using System.Net;

namespace Rampart.Smtp.Outbound;

/// <summary>What DNS said about where a domain's mail goes.</summary>
public enum MxLookupKind
{
    /// <summary>Hosts to try, in <see cref="MxLookup.Hosts"/> order.</summary>
    Hosts,

    /// <summary>The domain publishes a null MX: it accepts no mail (RFC 7505 §3).</summary>
    NullMx,

    /// <summary>The domain does not exist (NXDOMAIN), or has no MX and no address: a permanent failure.</summary>
    NoSuchDomain,

    /// <summary>DNS did not answer usefully (timeout, SERVFAIL): try again later.</summary>
    TemporaryFailure,
}

/// <summary>One mail exchanger: its name and preference; <see cref="Addresses"/> set for an address literal.</summary>
public sealed record MxHost(string Name, int Preference, IReadOnlyList<IPAddress>? Addresses = null);

/// <summary>The result of an MX lookup.</summary>
public sealed record MxLookup(MxLookupKind Kind, IReadOnlyList<MxHost> Hosts, string? Error = null);
