using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Rampart.Smtp.SenderChecks.Spf;

/// <summary>The mechanisms of RFC 7208 §5.</summary>
internal enum SpfMechanismKind
{
    All,
    Include,
    A,
    Mx,
    Ptr,
    Ip4,
    Ip6,
    Exists,
}

/// <summary>One mechanism of a record: qualifier, kind and arguments (RFC 7208 §4.6.1, §5).</summary>
/// <param name="Qualifier">'+', '-', '~' or '?'.</param>
/// <param name="Kind">The mechanism.</param>
/// <param name="DomainSpec">The unexpanded domain-spec, or null where the mechanism defaults to the current domain.</param>
/// <param name="Cidr4">The IPv4 prefix length (a, mx, ip4).</param>
/// <param name="Cidr6">The IPv6 prefix length (a, mx, ip6).</param>
/// <param name="Network">The network of ip4/ip6.</param>
internal sealed record SpfMechanism(char Qualifier, SpfMechanismKind Kind, string? DomainSpec, int Cidr4, int Cidr6, IPAddress? Network)
{
    public string Text { get; init; } = "";

    /// <summary>True for the terms that cost a DNS query under the limit of RFC 7208 §4.6.4.</summary>
    public bool QueriesDns => Kind is SpfMechanismKind.Include or SpfMechanismKind.A or SpfMechanismKind.Mx
        or SpfMechanismKind.Ptr or SpfMechanismKind.Exists;
}

/// <summary>A parsed SPF record (RFC 7208 §4.6, §12 ABNF). Parsing is all-or-nothing: any syntax error anywhere makes
/// the whole record a permerror (§4.6), so nothing is evaluated from a half-understood record.</summary>
internal sealed partial class SpfRecord
{
    private SpfRecord(IReadOnlyList<SpfMechanism> mechanisms, string? redirect, string? explanation)
    {
        Mechanisms = mechanisms;
        Redirect = redirect;
        Explanation = explanation;
    }

    public IReadOnlyList<SpfMechanism> Mechanisms { get; }

    /// <summary>The <c>redirect=</c> domain-spec (§6.1).</summary>
    public string? Redirect { get; }

    /// <summary>The <c>exp=</c> domain-spec (§6.2).</summary>
    public string? Explanation { get; }

    /// <summary>True when <paramref name="text"/> is an SPF version 1 record: "v=spf1" then a space or the end (§4.5).</summary>
    public static bool IsSpf1(string text) =>
        text.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (text.Length == 6 || text[6] == ' ');

    /// <summary>Parses a record that <see cref="IsSpf1"/> accepted; null and the reason on any syntax error.</summary>
    public static SpfRecord? Parse(string text, out string error)
    {
        var mechanisms = new List<SpfMechanism>();
        string? redirect = null, explanation = null;
        foreach (var term in text[6..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var modifier = ModifierSyntax().Match(term);
            if (modifier.Success)
            {
                var name = modifier.Groups[1].Value;
                var value = modifier.Groups[2].Value;
                if (!SpfMacro.IsValid(value, explanation: false))
                {
                    error = $"bad macro in '{term}'";
                    return null;
                }

                if (name.Equals("redirect", StringComparison.OrdinalIgnoreCase) || name.Equals("exp", StringComparison.OrdinalIgnoreCase))
                {
                    // §6: each may appear at most once, and both take a domain-spec.
                    var isRedirect = name.Length == 8;
                    if ((isRedirect ? redirect : explanation) is not null || !IsDomainSpec(value))
                    {
                        error = $"bad or repeated modifier '{term}'";
                        return null;
                    }

                    if (isRedirect)
                    {
                        redirect = value;
                    }
                    else
                    {
                        explanation = value;
                    }
                }

                // §6: unknown modifiers are ignored.
                continue;
            }

            var mechanism = ParseMechanism(term);
            if (mechanism is null)
            {
                error = $"bad term '{term}'";
                return null;
            }

            mechanisms.Add(mechanism with { Text = term });
        }

        error = "";
        return new SpfRecord(mechanisms, redirect, explanation);
    }

    private static SpfMechanism? ParseMechanism(string term)
    {
        var explicitQualifier = term[0] is '+' or '-' or '~' or '?';
        var qualifier = explicitQualifier ? term[0] : '+';
        var body = explicitQualifier ? term[1..] : term;

        var colon = body.IndexOf(':', StringComparison.Ordinal);
        var slash = body.IndexOf('/', StringComparison.Ordinal);
        var nameEnd = colon >= 0 && (slash < 0 || colon < slash) ? colon : slash >= 0 ? slash : body.Length;
        var name = body[..nameEnd].ToLowerInvariant();
        var rest = body[nameEnd..];
        switch (name)
        {
            case "all":
                return rest.Length == 0 ? new SpfMechanism(qualifier, SpfMechanismKind.All, null, 32, 128, null) : null;
            case "include":
            case "exists":
                if (!rest.StartsWith(':') || !IsDomainSpec(rest[1..]))
                {
                    return null;
                }

                return new SpfMechanism(qualifier, name == "include" ? SpfMechanismKind.Include : SpfMechanismKind.Exists, rest[1..], 32, 128, null);
            case "ptr":
                if (rest.Length == 0)
                {
                    return new SpfMechanism(qualifier, SpfMechanismKind.Ptr, null, 32, 128, null);
                }

                return rest.StartsWith(':') && IsDomainSpec(rest[1..])
                    ? new SpfMechanism(qualifier, SpfMechanismKind.Ptr, rest[1..], 32, 128, null)
                    : null;
            case "a":
            case "mx":
                var kind = name == "a" ? SpfMechanismKind.A : SpfMechanismKind.Mx;
                var cidr = DualCidr().Match(rest);
                if (!cidr.Success)
                {
                    return null;
                }

                var domain = cidr.Groups[1].Success ? cidr.Groups[1].Value : null;
                if (domain is not null && !IsDomainSpec(domain))
                {
                    return null;
                }

                var v4 = cidr.Groups[2].Success ? Prefix(cidr.Groups[2].Value, 32) : 32;
                var v6 = cidr.Groups[3].Success ? Prefix(cidr.Groups[3].Value, 128) : 128;
                return v4 < 0 || v6 < 0 ? null : new SpfMechanism(qualifier, kind, domain, v4, v6, null);
            case "ip4":
            case "ip6":
                if (!rest.StartsWith(':'))
                {
                    return null;
                }

                var network = rest[1..];
                var length = name == "ip4" ? 32 : 128;
                var at = network.IndexOf('/', StringComparison.Ordinal);
                if (at >= 0)
                {
                    length = Prefix(network[(at + 1)..], length);
                    network = network[..at];
                }

                if (length < 0 || !IPAddress.TryParse(network, out var address))
                {
                    return null;
                }

                if (name == "ip4")
                {
                    return address.AddressFamily == AddressFamily.InterNetwork && DottedQuad().IsMatch(network)
                        ? new SpfMechanism(qualifier, SpfMechanismKind.Ip4, null, length, 128, address)
                        : null;
                }

                return address.AddressFamily == AddressFamily.InterNetworkV6 && network.Contains(':', StringComparison.Ordinal)
                    ? new SpfMechanism(qualifier, SpfMechanismKind.Ip6, null, 32, length, address)
                    : null;
            default:
                return null;
        }
    }

    // ip4-cidr-length and ip6-cidr-length: no leading zeros, within the family's bits (§12).
    private static int Prefix(string digits, int max) =>
        digits.Length is > 0 and <= 3 && digits.All(char.IsAsciiDigit) && (digits == "0" || digits[0] != '0')
            && int.Parse(digits, CultureInfo.InvariantCulture) is var n && n <= max
            ? n
            : -1;

    /// <summary>A domain-spec: a valid macro-string that ends in a top label or a macro (§7.1, §12).</summary>
    private static bool IsDomainSpec(string spec)
    {
        if (spec.Length == 0 || !SpfMacro.IsValid(spec, explanation: false))
        {
            return false;
        }

        if (spec.EndsWith('}'))
        {
            return true;
        }

        var trimmed = spec.EndsWith('.') ? spec[..^1] : spec;
        var dot = trimmed.LastIndexOf('.');
        if (dot < 0)
        {
            return false;
        }

        var top = trimmed[(dot + 1)..];
        return TopLabel().IsMatch(top);
    }

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9_.-]*)=(.*)$")]
    private static partial Regex ModifierSyntax();

    [GeneratedRegex("^(?::(.+?))?(?:/([0-9]+))?(?://([0-9]+))?$")]
    private static partial Regex DualCidr();

    [GeneratedRegex("^[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}$")]
    private static partial Regex DottedQuad();

    // toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
    [GeneratedRegex("^(?:[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9])$")]
    private static partial Regex TopLabel();
}
