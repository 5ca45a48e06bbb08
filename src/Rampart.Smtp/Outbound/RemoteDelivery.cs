using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Rampart.Smtp.Dsn;
using Rampart.Smtp.Outbound.Dane;
using Rampart.Smtp.Outbound.MtaSts;
using Rampart.Smtp.Queue;
using Rampart.Smtp.SenderChecks.Dns;

namespace Rampart.Smtp.Outbound;

/// <summary>Delivers one message to the recipients of one domain: looks up the MX hosts, tries them in preference
/// order (each of their addresses) until one holds a transaction, and reports a result per recipient
/// (RFC 5321 §4.5.4, §5.1). STARTTLS is used whenever offered; see <see cref="OutboundQueueOptions.RequireTls"/>.
/// A domain's DNSSEC-validated TLSA records (DANE, RFC 7672) or its MTA-STS policy (RFC 8461) make TLS mandatory and
/// authenticated per host; DANE takes precedence where both exist (RFC 8461 §2).</summary>
public sealed class RemoteDelivery : IDisposable
{
    private readonly OutboundQueueOptions options;
    private readonly MxResolver resolver;
    private readonly ILogger logger;
    private readonly CertificateTrust trust;
    private readonly MtaStsPolicyFetcher? fetcher;
    private readonly MtaStsPolicySource? mtaSts;
    private readonly DaneLookup? dane;

    public RemoteDelivery(OutboundQueueOptions options, MxResolver resolver, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.resolver = resolver;
        this.logger = logger;
        var security = options.TransportSecurity;
        trust = new CertificateTrust(security.TrustedCaFile);
        if (!security.MtaSts && !security.DaneEnabled)
        {
            return;
        }

        var dns = new DnsResolver(new DnsOptions { Servers = [.. options.DnsServers.Select(s => s.ToString())], Timeout = options.DnsTimeout });
        if (security.MtaSts)
        {
            fetcher = new MtaStsPolicyFetcher(security, resolver, trust);
            mtaSts = new MtaStsPolicySource(dns, fetcher, new MtaStsPolicyCache(security.PolicyDirectory), logger);
        }

        if (security.DaneEnabled)
        {
            dane = new DaneLookup(dns);
        }
    }

    /// <summary>Raised when a host fails a domain's published TLS policy: enforced (the host was skipped) or, for
    /// MTA-STS <c>testing</c>, reported only (RFC 8461 §5).</summary>
    public event Action<TlsPolicyFailure>? TlsPolicyFailed;

    /// <summary>Sends <paramref name="message"/> from <paramref name="sender"/> to <paramref name="recipients"/>, all in
    /// <paramref name="domain"/> (A-label or address literal), in one transaction.</summary>
    public async Task<IReadOnlyList<DeliveryResult>> DeliverAsync(string domain, string sender, IReadOnlyList<string> recipients, OutboundMessage message, CancellationToken cancellationToken)
    {
        var mx = await resolver.LookupAsync(domain, cancellationToken);
        switch (mx.Kind)
        {
            case MxLookupKind.NullMx:
                // RFC 7505 §4.2: 5.1.10, "Recipient address has null MX".
                return All(recipients, DeliveryResultKind.Permanent, "5.1.10", mx.Error!);
            case MxLookupKind.NoSuchDomain:
                return All(recipients, DeliveryResultKind.Permanent, "5.1.2", mx.Error!);
            case MxLookupKind.TemporaryFailure:
                return All(recipients, DeliveryResultKind.Transient, "4.4.3", mx.Error!);
        }

        var literal = domain.StartsWith('[');
        var policy = mtaSts is not null && !literal ? await mtaSts.GetAsync(domain.ToLowerInvariant(), cancellationToken) : null;
        var mxSecure = dane is not null && !literal && await dane.IsMxSecureAsync(domain, cancellationToken);

        var lastError = $"no usable mail exchanger for {domain}";
        var lastStatus = "4.4.1";
        foreach (var host in mx.Hosts)
        {
            var security = await HostSecurityAsync(domain, host.Name, policy, mxSecure, cancellationToken);
            if (security.Refusal is { } refusal)
            {
                lastError = refusal;
                lastStatus = "4.7.5";
                continue;
            }

            var addresses = host.Addresses;
            if (addresses is null)
            {
                var lookup = await resolver.AddressesAsync(host.Name, cancellationToken);
                addresses = lookup.Hosts.Count > 0 ? lookup.Hosts[0].Addresses : null;
                if (addresses is not { Count: > 0 })
                {
                    lastError = lookup.Error ?? $"{host.Name}: no address records";
                    continue;
                }
            }

            foreach (var address in addresses)
            {
                var attempt = await TryHostAsync(host.Name, address, security, sender, recipients, message, cancellationToken);
                if (attempt.Results is { } results)
                {
                    return results;
                }

                lastError = attempt.Error!;
                lastStatus = attempt.Status;
                logger.LogInformation("outbound {Domain}: {Host} [{Address}] not used: {Error}", domain, host.Name, address, attempt.Error);
            }
        }

        return All(recipients, DeliveryResultKind.Transient, lastStatus, lastError);
    }

    public void Dispose() => fetcher?.Dispose();

    /// <summary>Decides what TLS <paramref name="host"/> needs: DANE when its TLSA records are secure (RFC 7672 §2.2),
    /// else the MTA-STS policy (RFC 8461 §4), else the configured default.</summary>
    private async Task<HostSecurity> HostSecurityAsync(string domain, string host, MtaStsPolicy? policy, bool mxSecure, CancellationToken cancellationToken)
    {
        if (mxSecure)
        {
            var requirement = await dane!.LookupAsync(host, cancellationToken);
            if (requirement.Kind == DaneRequirementKind.LookupFailed)
            {
                return Refuse(domain, host, TlsPolicyKind.Dane, $"{host}: the TLSA lookup failed; the host is not used until it answers");
            }

            if (requirement.Kind == DaneRequirementKind.Required)
            {
                return new HostSecurity(domain, TlsDemand.Dane, requirement.Records, null, TlsPolicyKind.Dane) { TlsaBaseDomain = requirement.BaseDomain };
            }
        }

        if (policy is { Mode: MtaStsMode.Enforce })
        {
            return policy.Matches(host)
                ? new HostSecurity(domain, TlsDemand.Pkix, [], null, TlsPolicyKind.MtaSts)
                : Refuse(domain, host, TlsPolicyKind.MtaSts, $"{host} is not an MX host the MTA-STS policy of {domain} allows");
        }

        if (policy is { Mode: MtaStsMode.Testing })
        {
            if (!policy.Matches(host))
            {
                Report(new TlsPolicyFailure(domain, host, TlsPolicyKind.MtaSts, false, $"{host} is not an MX host the MTA-STS policy allows"));
            }

            return new HostSecurity(domain, TlsDemand.Testing, [], null);
        }

        return new HostSecurity(domain, options.RequireTls ? TlsDemand.Pkix : TlsDemand.Opportunistic, [], null);
    }

    private HostSecurity Refuse(string domain, string host, TlsPolicyKind kind, string reason)
    {
        Report(new TlsPolicyFailure(domain, host, kind, true, reason));
        return new HostSecurity(domain, TlsDemand.Opportunistic, [], reason);
    }

    private void ReportEnforced(HostSecurity security, string host, string reason)
    {
        // RequireTls is the operator's own rule, not a published policy: its failures are logged by the caller.
        if (security.Policy is { } kind)
        {
            Report(new TlsPolicyFailure(security.Domain, host, kind, true, reason));
        }
    }

    private void Report(TlsPolicyFailure failure)
    {
        logger.LogWarning("outbound {Domain}: {Policy} {Outcome} for {Host}: {Reason}", failure.Domain, failure.Policy, failure.Enforced ? "enforced" : "would fail (testing)", failure.Host, failure.Reason);
        TlsPolicyFailed?.Invoke(failure);
    }

    /// <summary>The certificate check for <paramref name="security"/>; <paramref name="failure"/> receives what a
    /// testing-mode policy would have refused.</summary>
    private RemoteCertificateValidationCallback Validator(HostSecurity security, string hostName, Action<string> failure) =>
        (_, certificate, chain, errors) =>
        {
            switch (security.Demand)
            {
                case TlsDemand.Pkix:
                    return trust.IsTrusted(certificate, chain, errors);
                case TlsDemand.Dane:
                    if (!security.Tlsa.Any(r => r.IsUsable))
                    {
                        // RFC 7672 §2.2: secure TLSA records none of which is usable still mean "TLS is mandatory".
                        return true;
                    }

                    if (certificate is null)
                    {
                        return false;
                    }

                    using (var leaf = new X509Certificate2(certificate))
                    {
                        List<X509Certificate2> presented = chain is null ? [] : [.. chain.ChainPolicy.ExtraStore, .. chain.ChainElements.Select(e => e.Certificate)];
                        // RFC 7672 §3.2.2: the MX host name, the next-hop domain, and the TLSA base domain when a CNAME
                        // expansion differs from the host name.
                        string[] names = security.TlsaBaseDomain is { } expanded ? [hostName, security.Domain, expanded] : [hostName, security.Domain];
                        if (TlsaMatcher.Matches(security.Tlsa, leaf, presented, names))
                        {
                            return true;
                        }
                    }

                    failure("the certificate matches none of the TLSA records");
                    return false;
                case TlsDemand.Testing:
                    if (!trust.IsTrusted(certificate, chain, errors))
                    {
                        failure($"the certificate is not valid for {hostName} ({errors})");
                    }

                    return true;
                default:
                    return true;
            }
        };

    private async Task<HostAttempt> TryHostAsync(string hostName, IPAddress address, HostSecurity security, string sender, IReadOnlyList<string> recipients, OutboundMessage message, CancellationToken cancellationToken)
    {
        var where = $"{hostName}[{address}]:{options.Port}";
        var allowTls = true;
        var tlsRequired = security.Demand is TlsDemand.Pkix or TlsDemand.Dane;
        string? policyFailure = null;
        var validator = Validator(security, hostName, reason => policyFailure = reason);
        while (true)
        {
            var transactionStarted = false;
            try
            {
                await using var connection = await SmtpClientConnection.ConnectAsync(address, options.Port, options.ConnectTimeout, cancellationToken);
                var greeting = await connection.ReadReplyAsync(options.CommandTimeout, cancellationToken);
                if (!greeting.IsPositive)
                {
                    // RFC 5321 §3.1: a 554 greeting means "not here"; another MX may take it.
                    return HostAttempt.Skip($"{where} greeted with {greeting}");
                }

                var capabilities = await HelloAsync(connection, cancellationToken);
                if (capabilities is null)
                {
                    return HostAttempt.Skip($"{where} refused EHLO and HELO");
                }

                if (allowTls && capabilities.ContainsKey("STARTTLS"))
                {
                    var reply = await connection.CommandAsync("STARTTLS", options.CommandTimeout, cancellationToken);
                    if (reply.Code == 220)
                    {
                        try
                        {
                            await connection.StartTlsAsync(hostName, validator, options.CommandTimeout, cancellationToken);
                        }
                        catch (Exception e) when (e is AuthenticationException or IOException or TimeoutException)
                        {
                            if (tlsRequired)
                            {
                                ReportEnforced(security, hostName, policyFailure ?? $"TLS handshake failed: {e.Message}");
                                return HostAttempt.Skip($"{where}: TLS handshake failed and TLS with an authenticated server is required: {policyFailure ?? e.Message}", "4.7.5");
                            }

                            if (options.PlaintextAfterTlsFailure && !tlsRequired)
                            {
                                logger.LogWarning("outbound {Where}: TLS handshake failed ({Error}); retrying in plaintext as configured", where, e.Message);
                                allowTls = false;
                                continue;
                            }

                            return HostAttempt.Skip($"{where}: TLS handshake failed: {e.Message}");
                        }

                        // RFC 3207 §4.2: forget everything learnt before TLS and ask again.
                        capabilities = await HelloAsync(connection, cancellationToken);
                        if (capabilities is null)
                        {
                            return HostAttempt.Skip($"{where} refused EHLO after STARTTLS");
                        }
                    }
                    else if (tlsRequired)
                    {
                        ReportEnforced(security, hostName, $"STARTTLS refused: {reply}");
                        return HostAttempt.Skip($"{where} refused STARTTLS: {reply}", "4.7.5");
                    }
                }

                if (tlsRequired && !connection.IsEncrypted)
                {
                    ReportEnforced(security, hostName, "no STARTTLS");
                    return HostAttempt.Skip($"{where} does not offer STARTTLS and TLS is required", "4.7.5");
                }

                if (security.Demand == TlsDemand.Testing && (policyFailure is not null || !connection.IsEncrypted))
                {
                    // RFC 8461 §5: in testing mode the message goes anyway; the failure is only reported.
                    Report(new TlsPolicyFailure(security.Domain, hostName, TlsPolicyKind.MtaSts, false, policyFailure ?? "no STARTTLS"));
                }

                transactionStarted = true;
                return HostAttempt.Done(await TransactionAsync(connection, capabilities, where, hostName, sender, recipients, message, cancellationToken));
            }
            catch (Exception e) when (e is SocketException or IOException or TimeoutException or SmtpProtocolException or AuthenticationException)
            {
                if (transactionStarted)
                {
                    // Once MAIL was sent, another host must not get the message in this attempt: the first may have
                    // accepted it before the connection broke. Everyone still waiting is retried later.
                    return HostAttempt.Done(All(recipients, DeliveryResultKind.Transient, "4.4.2", $"{where}: {e.Message}", hostName));
                }

                return HostAttempt.Skip($"{where}: {e.Message}");
            }
        }
    }

    private async Task<IReadOnlyList<DeliveryResult>> TransactionAsync(SmtpClientConnection connection, Dictionary<string, string> capabilities, string where, string hostName, string sender, IReadOnlyList<string> recipients, OutboundMessage message, CancellationToken cancellationToken)
    {
        var needsUtf8 = !IsAscii(sender) || recipients.Any(r => !IsAscii(r));
        if (needsUtf8 && !capabilities.ContainsKey("SMTPUTF8"))
        {
            // RFC 6531 §3.2: without SMTPUTF8 at the server, a non-ASCII address cannot be sent.
            await QuitAsync(connection, cancellationToken);
            return All(recipients, DeliveryResultKind.Permanent, "5.6.7", $"{where} does not support SMTPUTF8, which a non-ASCII address needs", hostName);
        }

        if (capabilities.TryGetValue("SIZE", out var sizeText) && long.TryParse(sizeText, out var limit) && limit > 0 && message.Size > limit)
        {
            // RFC 1870 §6: the message is larger than the server's fixed limit; that will not change by retrying.
            await QuitAsync(connection, cancellationToken);
            return All(recipients, DeliveryResultKind.Permanent, "5.3.4", $"{where} accepts at most {limit} octets; the message has {message.Size}", hostName);
        }

        var mail = $"MAIL FROM:<{sender}>";
        if (capabilities.ContainsKey("SIZE"))
        {
            mail += $" SIZE={message.Size}";
        }

        if (capabilities.ContainsKey("8BITMIME"))
        {
            mail += " BODY=8BITMIME";
        }

        if (needsUtf8)
        {
            mail += " SMTPUTF8";
        }

        // RFC 3461 §5.2: to a server that offers DSN the parameters travel on; to one that does not, a success is
        // reported here as "relayed" (§6.2.1 b).
        var dsn = capabilities.ContainsKey("DSN") ? message.Dsn : null;
        if (dsn is not null)
        {
            mail += DsnMailParameters(dsn);
        }

        var mailReply = await connection.CommandAsync(mail, options.CommandTimeout, cancellationToken);
        if (!mailReply.IsPositive)
        {
            await QuitAsync(connection, cancellationToken);
            return All(recipients, mailReply.IsPermanent ? DeliveryResultKind.Permanent : DeliveryResultKind.Transient, mailReply.StatusCode, mailReply.ToString(), hostName);
        }

        var results = new Dictionary<string, DeliveryResult>(StringComparer.Ordinal);
        var accepted = new List<string>();
        foreach (var recipient in recipients)
        {
            var reply = await connection.CommandAsync($"RCPT TO:<{recipient}>{(dsn is null ? "" : DsnRecipientParameters(dsn.For(recipient)))}", options.CommandTimeout, cancellationToken);
            if (reply.IsPositive)
            {
                accepted.Add(recipient);
            }
            else
            {
                results[recipient] = new DeliveryResult(recipient, reply.IsPermanent ? DeliveryResultKind.Permanent : DeliveryResultKind.Transient, reply.StatusCode, reply.ToString(), hostName);
            }
        }

        if (accepted.Count > 0)
        {
            var dataReply = await connection.CommandAsync("DATA", options.CommandTimeout, cancellationToken);
            SmtpReply final;
            if (dataReply.Code == 354)
            {
                await using (var body = message.Open())
                {
                    await DotStuffing.WriteAsync(connection.DataStream, message.Prefix, body, cancellationToken);
                }

                final = await connection.ReadReplyAsync(options.DataTimeout, cancellationToken);
            }
            else
            {
                final = dataReply.IsPositive ? new SmtpReply(451, [$"4.5.0 unexpected reply to DATA: {dataReply}"]) : dataReply;
            }

            var kind = final.IsPositive ? DeliveryResultKind.Delivered : final.IsPermanent ? DeliveryResultKind.Permanent : DeliveryResultKind.Transient;
            foreach (var recipient in accepted)
            {
                results[recipient] = new DeliveryResult(recipient, kind, final.IsPositive ? "2.0.0" : final.StatusCode, final.ToString(), hostName, dsn is not null);
            }

            if (kind == DeliveryResultKind.Delivered)
            {
                logger.LogInformation("outbound {Where}: delivered to {Count} recipient(s) ({Tls}): {Reply}", where, accepted.Count, connection.IsEncrypted ? connection.TlsProtocol.ToString() : "plaintext", final);
            }
        }

        await QuitAsync(connection, cancellationToken);
        return [.. recipients.Select(r => results[r])];
    }

    /// <summary>EHLO, or HELO when EHLO is refused (RFC 5321 §3.2); the extensions advertised, keyword → parameters.</summary>
    private async Task<Dictionary<string, string>?> HelloAsync(SmtpClientConnection connection, CancellationToken cancellationToken)
    {
        var reply = await connection.CommandAsync($"EHLO {options.HeloName}", options.CommandTimeout, cancellationToken);
        if (reply.IsPositive)
        {
            var capabilities = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in reply.Lines.Skip(1))
            {
                var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
                if (parts[0].Length > 0)
                {
                    capabilities[parts[0]] = parts.Length > 1 ? parts[1] : string.Empty;
                }
            }

            return capabilities;
        }

        reply = await connection.CommandAsync($"HELO {options.HeloName}", options.CommandTimeout, cancellationToken);
        return reply.IsPositive ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) : null;
    }

    private async Task QuitAsync(SmtpClientConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            // The outcome is already known; a server that drops the connection instead of answering QUIT changes nothing.
            await connection.CommandAsync("QUIT", TimeSpan.FromSeconds(10), cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or SmtpProtocolException)
        {
            logger.LogDebug("QUIT: {Error}", e.Message);
        }
    }

    /// <summary>RET and ENVID for MAIL (RFC 3461 §4.3, §4.4), ENVID xtext-encoded again.</summary>
    private static string DsnMailParameters(DsnRequest dsn)
    {
        var text = dsn.Return switch
        {
            DsnReturn.Full => " RET=FULL",
            DsnReturn.Headers => " RET=HDRS",
            _ => "",
        };
        return dsn.EnvelopeId is { Length: > 0 } id ? text + " ENVID=" + Xtext.Encode(id) : text;
    }

    /// <summary>NOTIFY and ORCPT for RCPT (RFC 3461 §4.1, §4.2), as the client gave them.</summary>
    private static string DsnRecipientParameters(RecipientDsn dsn)
    {
        var text = "";
        if (dsn.Notify != DsnNotify.None)
        {
            text += " NOTIFY=" + (dsn.Notify.HasFlag(DsnNotify.Never)
                ? "NEVER"
                : string.Join(',', new[] { DsnNotify.Success, DsnNotify.Failure, DsnNotify.Delay }.Where(f => dsn.Notify.HasFlag(f)).Select(f => f.ToString().ToUpperInvariant())));
        }

        if (dsn.OriginalRecipient is { Length: > 0 } original)
        {
            text += $" ORCPT={dsn.OriginalRecipientType ?? "rfc822"};{Xtext.Encode(original)}";
        }

        return text;
    }

    private static bool IsAscii(string text) => text.All(char.IsAscii);

    private static List<DeliveryResult> All(IReadOnlyList<string> recipients, DeliveryResultKind kind, string status, string reply, string? host = null) =>
        [.. recipients.Select(r => new DeliveryResult(r, kind, status, SmtpReply.Printable(reply), host))];

    private sealed record HostAttempt(IReadOnlyList<DeliveryResult>? Results, string? Error, string Status = "4.4.1")
    {
        public static HostAttempt Done(IReadOnlyList<DeliveryResult> results) => new(results, null);

        public static HostAttempt Skip(string error, string status = "4.4.1") => new(null, error, status);
    }

    /// <summary>What TLS a host gets.</summary>
    private enum TlsDemand
    {
        /// <summary>STARTTLS when offered, any certificate (RFC 7435).</summary>
        Opportunistic,

        /// <summary>MTA-STS testing: as opportunistic, failures reported.</summary>
        Testing,

        /// <summary>TLS with a certificate valid for the MX name (MTA-STS enforce, or RequireTls).</summary>
        Pkix,

        /// <summary>TLS with a certificate matching the TLSA records.</summary>
        Dane,
    }

    /// <summary>The TLS decision for one host; <see cref="Refusal"/> set when the host must not be used at all.</summary>
    private sealed record HostSecurity(string Domain, TlsDemand Demand, IReadOnlyList<TlsaAssociation> Tlsa, string? Refusal, TlsPolicyKind? Policy = null)
    {
        /// <summary>Where the TLSA records were found (RFC 7672 §2.2.2); null without DANE.</summary>
        public string? TlsaBaseDomain { get; init; }
    }
}
