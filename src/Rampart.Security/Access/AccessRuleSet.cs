using System.Net;
using System.Text.Json;
using Rampart.Security.Guard;

namespace Rampart.Security.Access;

/// <summary>
/// A list of CIDR allow/deny rules and how they decide: for the protocol at hand, a matching deny rule refuses; when
/// any allow rule exists, the address must match one; otherwise it passes. Addresses are normalized first, so an
/// IPv4 client seen through a dual-stack socket matches its IPv4 rules (I01).
/// </summary>
public sealed class AccessRuleSet
{
    /// <summary>The most rules in one list: 1 000, a bound on the stored record and on the per-login scan.</summary>
    public const int MaxRules = 1000;

    private readonly List<AccessRule> _rules;

    /// <summary>Creates a set from <paramref name="rules"/>; rules whose network does not parse are ignored.</summary>
    public AccessRuleSet(IEnumerable<AccessRule>? rules = null) => _rules = [.. rules ?? []];

    /// <summary>The rules, in the order added.</summary>
    public IReadOnlyList<AccessRule> Rules => _rules;

    /// <summary>Decides for <paramref name="client"/> using <paramref name="protocol"/>.</summary>
    public AccessDecision Evaluate(IPAddress client, string protocol)
    {
        ArgumentNullException.ThrowIfNull(client);
        var applicable = _rules.Where(r => r.Protocol is null || string.Equals(r.Protocol, protocol, StringComparison.OrdinalIgnoreCase)).ToList();
        var allows = 0;
        var allowed = false;
        foreach (var rule in applicable)
        {
            if (!ClientNetworks.TryParse(rule.Network, out var network))
            {
                continue;
            }

            var matches = ClientNetworks.Contains(network, client);
            if (rule.Action == AccessAction.Deny && matches)
            {
                return new AccessDecision(false, $"denied by rule {rule.Network}" + (rule.Protocol is null ? string.Empty : $" ({rule.Protocol})"));
            }

            if (rule.Action == AccessAction.Allow)
            {
                allows++;
                allowed |= matches;
            }
        }

        return allows == 0 || allowed ? AccessDecision.Allow : new AccessDecision(false, "not in any allow rule");
    }

    /// <summary>Adds a rule (replacing one with the same network and protocol); the network is normalized.</summary>
    /// <exception cref="ArgumentException">The network does not parse, the protocol is unknown, or the list is full.</exception>
    public AccessRule Add(string network, AccessAction action, string? protocol)
    {
        if (!ClientNetworks.TryParse(network, out var parsed))
        {
            throw new ArgumentException($"\"{network}\" is not a CIDR network or address", nameof(network));
        }

        var normalizedProtocol = NormalizeProtocol(protocol);
        var rule = new AccessRule { Network = parsed.ToString(), Action = action, Protocol = normalizedProtocol };
        _rules.RemoveAll(r => r.Network == rule.Network && r.Protocol == rule.Protocol);
        if (_rules.Count >= MaxRules)
        {
            throw new ArgumentException($"at most {MaxRules} rules", nameof(network));
        }

        _rules.Add(rule);
        return rule;
    }

    /// <summary>Removes the rule for <paramref name="network"/> and <paramref name="protocol"/>; false when there is none.</summary>
    public bool Remove(string network, string? protocol)
    {
        var text = ClientNetworks.TryParse(network, out var parsed) ? parsed.ToString() : network;
        var normalizedProtocol = NormalizeProtocol(protocol);
        return _rules.RemoveAll(r => r.Network == text && r.Protocol == normalizedProtocol) > 0;
    }

    /// <summary>The rules as stored (a JSON array).</summary>
    public string Serialize() => JsonSerializer.Serialize(_rules, AccessJsonContext.Default.ListAccessRule);

    /// <summary>Reads what <see cref="Serialize"/> wrote; empty for null.</summary>
    /// <exception cref="InvalidDataException">The text is not a rule list.</exception>
    public static AccessRuleSet Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new AccessRuleSet();
        }

        try
        {
            return new AccessRuleSet((JsonSerializer.Deserialize(text, AccessJsonContext.Default.ListAccessRule) ?? []).Take(MaxRules));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("not an access rule list: " + e.Message, e);
        }
    }

    private static string? NormalizeProtocol(string? protocol)
    {
        if (string.IsNullOrWhiteSpace(protocol))
        {
            return null;
        }

        var lower = protocol.Trim().ToLowerInvariant();
        return lower is "imap" or "pop3" or "smtp"
            ? lower
            : throw new ArgumentException($"unknown protocol \"{protocol}\" (imap, pop3, smtp)", nameof(protocol));
    }
}
