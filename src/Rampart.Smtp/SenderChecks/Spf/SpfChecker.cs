using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Rampart.Smtp.SenderChecks.Dns;

namespace Rampart.Smtp.SenderChecks.Spf;

/// <summary>SPF (RFC 7208): is the client allowed to send for the MAIL FROM domain, or for the HELO name when the
/// reverse path is empty (§2.4)? Every published-data problem ends in temperror or permerror; it never throws for
/// what DNS returns.</summary>
public sealed class SpfChecker
{
    private readonly DnsResolver dns;
    private readonly string receiver;
    private readonly SpfLimits limits;
    private readonly TimeProvider time;

    /// <param name="dns">The resolver.</param>
    /// <param name="receiverHostName">This server's name, for the <c>%{r}</c> macro of explanations.</param>
    /// <param name="limits">Processing limits; <see cref="SpfLimits.Default"/> when null.</param>
    /// <param name="time">For <c>%{t}</c>.</param>
    public SpfChecker(DnsResolver dns, string receiverHostName, SpfLimits? limits = null, TimeProvider? time = null)
    {
        this.dns = dns ?? throw new ArgumentNullException(nameof(dns));
        receiver = receiverHostName ?? throw new ArgumentNullException(nameof(receiverHostName));
        this.limits = limits ?? SpfLimits.Default;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>Checks the MAIL FROM identity, or the HELO identity when the reverse path is empty (RFC 7208 §2.4).</summary>
    public async Task<SpfOutcome> CheckAsync(SenderFacts facts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var helo = facts.HeloName.Trim();
        var mailFrom = facts.MailFrom.Trim().TrimStart('<').TrimEnd('>');
        string identity, sender;
        if (mailFrom.Length == 0)
        {
            identity = "helo";
            sender = "postmaster@" + helo;
        }
        else
        {
            identity = "mailfrom";
            // §4.3: a sender without a local-part is postmaster at the domain.
            sender = mailFrom.Contains('@', StringComparison.Ordinal) ? mailFrom : "postmaster@" + mailFrom;
            if (sender.StartsWith('@'))
            {
                sender = "postmaster" + sender;
            }
        }

        var domain = sender[(sender.LastIndexOf('@') + 1)..];
        var (result, reason, explanation) = await CheckHostAsync(facts.ClientAddress, domain, sender, helo, cancellationToken).ConfigureAwait(false);
        return new SpfOutcome(result, identity, domain, sender, reason, explanation);
    }

    /// <summary>The <c>check_host()</c> function of RFC 7208 §4.</summary>
    /// <returns>The result, a short reason, and on fail the domain's explanation (or null).</returns>
    public async Task<(SpfResult Result, string Reason, string? Explanation)> CheckHostAsync(
        IPAddress client, string domain, string sender, string helo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(sender);
        if (client.IsIPv4MappedToIPv6)
        {
            // §5: an IPv4-mapped client is an IPv4 client.
            client = client.MapToIPv4();
        }

        var evaluation = new Evaluation(this, client, sender, helo ?? "", cancellationToken);
        try
        {
            var outcome = await evaluation.CheckHostAsync(domain, top: true).ConfigureAwait(false);
            return (outcome.Result, outcome.Reason, outcome.Explanation);
        }
        catch (SpfAbort abort)
        {
            return (abort.Result, abort.Message, null);
        }
    }

    /// <summary>A domain check_host() will look up: labels of 1..63 characters, at most 253 in all, at least two
    /// labels (§4.3). Returns the ASCII form, or null.</summary>
    internal static string? NormalizeDomain(string domain)
    {
        domain = domain.TrimEnd('.');
        if (domain.Any(c => c > '~'))
        {
            try
            {
                domain = new IdnMapping().GetAscii(domain);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        var labels = domain.Split('.');
        return domain.Length is > 0 and <= 253 && labels.Length >= 2 && labels.All(l => l.Length is > 0 and <= 63)
            && domain.All(c => c is > ' ' and <= '~')
            ? domain
            : null;
    }

    private sealed record Step(SpfResult Result, string Reason, string? Explanation = null);

    /// <summary>Ends the whole evaluation at once: a limit was hit or a temporary error must propagate.</summary>
    private sealed class SpfAbort(SpfResult result, string message) : Exception(message)
    {
        public SpfResult Result { get; } = result;
    }

    /// <summary>The state of one check: the counters of §4.6.4 are shared by nested include and redirect.</summary>
    private sealed class Evaluation(SpfChecker owner, IPAddress client, string sender, string helo, CancellationToken cancellationToken)
    {
        private int dnsTerms;
        private int voidLookups;
        private string? validatedName;

        public async Task<Step> CheckHostAsync(string domain, bool top)
        {
            var name = NormalizeDomain(domain);
            if (name is null)
            {
                return new Step(SpfResult.None, $"'{domain}' is not a domain SPF can check");
            }

            var txt = await owner.dns.TxtAsync(name, cancellationToken).ConfigureAwait(false);
            if (txt.Status == DnsStatus.TemporaryError)
            {
                throw new SpfAbort(SpfResult.TempError, $"DNS error looking up the SPF record of {name}");
            }

            var records = txt.Records.Where(SpfRecord.IsSpf1).ToList();
            if (records.Count == 0)
            {
                return new Step(SpfResult.None, $"no SPF record at {name}");
            }

            if (records.Count > 1)
            {
                throw new SpfAbort(SpfResult.PermError, $"{name} publishes {records.Count} SPF records");
            }

            if (records[0].Length > owner.limits.RecordLength)
            {
                throw new SpfAbort(SpfResult.PermError, $"the SPF record of {name} is longer than {owner.limits.RecordLength} characters");
            }

            var record = SpfRecord.Parse(records[0], out var error)
                ?? throw new SpfAbort(SpfResult.PermError, $"the SPF record of {name} has a syntax error: {error}");
            var context = Context(name);
            foreach (var mechanism in record.Mechanisms)
            {
                if (mechanism.QueriesDns)
                {
                    CountDnsTerm();
                }

                if (await MatchesAsync(mechanism, context, name).ConfigureAwait(false))
                {
                    var result = mechanism.Qualifier switch
                    {
                        '-' => SpfResult.Fail,
                        '~' => SpfResult.SoftFail,
                        '?' => SpfResult.Neutral,
                        _ => SpfResult.Pass,
                    };
                    var explanation = result == SpfResult.Fail && record.Explanation is not null
                        ? await ExplainAsync(record.Explanation, context).ConfigureAwait(false)
                        : null;
                    return new Step(result, $"{name} matched {mechanism.Text}", explanation);
                }
            }

            if (record.Redirect is not null)
            {
                CountDnsTerm();
                var target = await SpfMacro.ExpandDomainAsync(record.Redirect, context).ConfigureAwait(false);
                var redirected = target is null ? null : await CheckHostAsync(target, top).ConfigureAwait(false);

                // §6.1: a redirect to a domain without an SPF record (or not a domain) is a permerror.
                if (redirected is null || redirected.Result == SpfResult.None)
                {
                    throw new SpfAbort(SpfResult.PermError, $"redirect from {name} to a domain without an SPF record");
                }

                return redirected;
            }

            // §4.7: nothing matched and no redirect.
            return new Step(SpfResult.Neutral, $"no mechanism of {name} matched");
        }

        private SpfMacroContext Context(string domain) => new()
        {
            Sender = sender,
            Domain = domain,
            Client = client,
            Helo = helo,
            Receiver = owner.receiver,
            Timestamp = owner.time.GetUtcNow().ToUnixTimeSeconds(),
            ValidatedName = async () => validatedName ??= await ValidatedNamesAsync().ConfigureAwait(false) is [var first, ..] ? first : "unknown",
        };

        private async Task<bool> MatchesAsync(SpfMechanism mechanism, SpfMacroContext context, string current)
        {
            switch (mechanism.Kind)
            {
                case SpfMechanismKind.All:
                    return true;
                case SpfMechanismKind.Ip4:
                case SpfMechanismKind.Ip6:
                    return InNetwork(mechanism.Network!, mechanism.Kind == SpfMechanismKind.Ip4 ? mechanism.Cidr4 : mechanism.Cidr6);
                case SpfMechanismKind.Include:
                    {
                        var target = await TargetAsync(mechanism, context, current).ConfigureAwait(false);
                        var included = await CheckHostAsync(target, top: false).ConfigureAwait(false);

                        // §5.2: pass matches; fail, softfail and neutral do not; none is a permerror.
                        return included.Result switch
                        {
                            SpfResult.Pass => true,
                            SpfResult.None => throw new SpfAbort(SpfResult.PermError, $"include:{target} has no SPF record"),
                            _ => false,
                        };
                    }

                case SpfMechanismKind.A:
                    {
                        var target = await TargetAsync(mechanism, context, current).ConfigureAwait(false);
                        var answer = await owner.dns.AddressesAsync(target, client.AddressFamily, cancellationToken).ConfigureAwait(false);
                        CheckAnswer(answer, target);
                        return answer.Records.Any(a => InNetwork(a, PrefixFor(mechanism)));
                    }

                case SpfMechanismKind.Mx:
                    {
                        var target = await TargetAsync(mechanism, context, current).ConfigureAwait(false);
                        var mx = await owner.dns.MxAsync(target, cancellationToken).ConfigureAwait(false);
                        CheckAnswer(mx, target);
                        if (mx.Records.Count > owner.limits.MxNames)
                        {
                            throw new SpfAbort(SpfResult.PermError, $"{target} has more than {owner.limits.MxNames} MX records");
                        }

                        foreach (var host in mx.Records)
                        {
                            var answer = await owner.dns.AddressesAsync(host.Exchange, client.AddressFamily, cancellationToken).ConfigureAwait(false);
                            if (answer.Status == DnsStatus.TemporaryError)
                            {
                                throw new SpfAbort(SpfResult.TempError, $"DNS error looking up {host.Exchange}");
                            }

                            if (answer.Records.Any(a => InNetwork(a, PrefixFor(mechanism))))
                            {
                                return true;
                            }
                        }

                        return false;
                    }

                case SpfMechanismKind.Ptr:
                    {
                        // §5.5: discouraged, but still evaluated. DNS errors here make the mechanism not match.
                        var target = await TargetAsync(mechanism, context, current).ConfigureAwait(false);
                        var names = await ValidatedNamesAsync().ConfigureAwait(false);
                        return names.Any(n => n.Equals(target, StringComparison.OrdinalIgnoreCase)
                            || n.EndsWith("." + target, StringComparison.OrdinalIgnoreCase));
                    }

                case SpfMechanismKind.Exists:
                    {
                        // §5.7: always an A query, whatever the client's family.
                        var target = await TargetAsync(mechanism, context, current).ConfigureAwait(false);
                        var answer = await owner.dns.AddressesAsync(target, AddressFamily.InterNetwork, cancellationToken).ConfigureAwait(false);
                        CheckAnswer(answer, target);
                        return answer.Status == DnsStatus.Found;
                    }

                default:
                    return false;
            }
        }

        private int PrefixFor(SpfMechanism mechanism) =>
            client.AddressFamily == AddressFamily.InterNetworkV6 ? mechanism.Cidr6 : mechanism.Cidr4;

        private static async Task<string> TargetAsync(SpfMechanism mechanism, SpfMacroContext context, string current)
        {
            if (mechanism.DomainSpec is null)
            {
                return current;
            }

            var expanded = await SpfMacro.ExpandDomainAsync(mechanism.DomainSpec, context).ConfigureAwait(false);
            return (expanded is null ? null : NormalizeDomain(expanded))
                ?? throw new SpfAbort(SpfResult.PermError, $"{mechanism.Text} expands to no valid domain");
        }

        private void CountDnsTerm()
        {
            if (++dnsTerms > owner.limits.DnsMechanisms)
            {
                throw new SpfAbort(SpfResult.PermError, $"more than {owner.limits.DnsMechanisms} DNS-querying terms");
            }
        }

        private void CheckAnswer<T>(DnsAnswer<T> answer, string name)
        {
            if (answer.Status == DnsStatus.TemporaryError)
            {
                throw new SpfAbort(SpfResult.TempError, $"DNS error looking up {name}");
            }

            if (answer.IsVoid && ++voidLookups > owner.limits.VoidLookups)
            {
                throw new SpfAbort(SpfResult.PermError, $"more than {owner.limits.VoidLookups} void DNS lookups");
            }
        }

        private bool InNetwork(IPAddress network, int prefix)
        {
            if (network.IsIPv4MappedToIPv6)
            {
                network = network.MapToIPv4();
            }

            if (network.AddressFamily != client.AddressFamily)
            {
                return false;
            }

            var a = network.GetAddressBytes();
            var b = client.GetAddressBytes();
            var full = prefix / 8;
            for (var i = 0; i < full; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            var bits = prefix % 8;
            if (bits == 0)
            {
                return true;
            }

            var mask = (byte)(0xFF << (8 - bits));
            return (a[full] & mask) == (b[full] & mask);
        }

        // §5.5: the client's PTR names (at most PtrNames of them) whose forward lookup includes the client.
        private async Task<IReadOnlyList<string>> ValidatedNamesAsync()
        {
            var ptr = await owner.dns.PtrAsync(client, cancellationToken).ConfigureAwait(false);
            var validated = new List<string>();
            foreach (var name in ptr.Records.Take(owner.limits.PtrNames))
            {
                var answer = await owner.dns.AddressesAsync(name, client.AddressFamily, cancellationToken).ConfigureAwait(false);
                if (answer.Records.Any(a => a.Equals(client)))
                {
                    validated.Add(name);
                }
            }

            return validated;
        }

        // §6.2: errors while fetching or expanding the explanation leave it out; never a different result.
        private async Task<string?> ExplainAsync(string spec, SpfMacroContext context)
        {
            var target = await SpfMacro.ExpandDomainAsync(spec, context).ConfigureAwait(false);
            target = target is null ? null : NormalizeDomain(target);
            if (target is null)
            {
                return null;
            }

            var txt = await owner.dns.TxtAsync(target, cancellationToken).ConfigureAwait(false);
            if (txt.Records.Count != 1 || txt.Records[0].Length > owner.limits.RecordLength)
            {
                return null;
            }

            var text = await SpfMacro.ExpandAsync(txt.Records[0], context, explanation: true).ConfigureAwait(false);
            return text is null ? null : Printable(text);
        }

        private static string Printable(string text)
        {
            var output = new StringBuilder(Math.Min(text.Length, 512));
            foreach (var c in text.Take(512))
            {
                output.Append(c is >= ' ' and <= '~' ? c : '?');
            }

            return output.ToString();
        }
    }
}
