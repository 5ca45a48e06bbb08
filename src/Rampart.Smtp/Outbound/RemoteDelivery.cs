using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Rampart.Smtp.Queue;

namespace Rampart.Smtp.Outbound;

/// <summary>Delivers one message to the recipients of one domain: looks up the MX hosts, tries them in preference
/// order (each of their addresses) until one holds a transaction, and reports a result per recipient
/// (RFC 5321 §4.5.4, §5.1). STARTTLS is used whenever offered; see <see cref="OutboundQueueOptions.RequireTls"/>.</summary>
public sealed class RemoteDelivery
{
    private readonly OutboundQueueOptions options;
    private readonly MxResolver resolver;
    private readonly ILogger logger;

    public RemoteDelivery(OutboundQueueOptions options, MxResolver resolver, ILogger logger)
    {
        this.options = options;
        this.resolver = resolver;
        this.logger = logger;
    }

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

        var lastError = $"no usable mail exchanger for {domain}";
        foreach (var host in mx.Hosts)
        {
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
                var attempt = await TryHostAsync(host.Name, address, sender, recipients, message, cancellationToken);
                if (attempt.Results is { } results)
                {
                    return results;
                }

                lastError = attempt.Error!;
                logger.LogInformation("outbound {Domain}: {Host} [{Address}] not used: {Error}", domain, host.Name, address, attempt.Error);
            }
        }

        return All(recipients, DeliveryResultKind.Transient, "4.4.1", lastError);
    }

    private async Task<HostAttempt> TryHostAsync(string hostName, IPAddress address, string sender, IReadOnlyList<string> recipients, OutboundMessage message, CancellationToken cancellationToken)
    {
        var where = $"{hostName}[{address}]:{options.Port}";
        var allowTls = true;
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
                            await connection.StartTlsAsync(hostName, options.RequireTls, options.CommandTimeout, cancellationToken);
                        }
                        catch (Exception e) when (e is AuthenticationException or IOException or TimeoutException)
                        {
                            if (options.PlaintextAfterTlsFailure && !options.RequireTls)
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
                    else if (options.RequireTls)
                    {
                        return HostAttempt.Skip($"{where} refused STARTTLS: {reply}");
                    }
                }

                if (options.RequireTls && !connection.IsEncrypted)
                {
                    return HostAttempt.Skip($"{where} does not offer STARTTLS and TLS is required");
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
            var reply = await connection.CommandAsync($"RCPT TO:<{recipient}>", options.CommandTimeout, cancellationToken);
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
                results[recipient] = new DeliveryResult(recipient, kind, final.IsPositive ? "2.0.0" : final.StatusCode, final.ToString(), hostName);
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

    private static bool IsAscii(string text) => text.All(char.IsAscii);

    private static List<DeliveryResult> All(IReadOnlyList<string> recipients, DeliveryResultKind kind, string status, string reply, string? host = null) =>
        [.. recipients.Select(r => new DeliveryResult(r, kind, status, SmtpReply.Printable(reply), host))];

    private sealed record HostAttempt(IReadOnlyList<DeliveryResult>? Results, string? Error)
    {
        public static HostAttempt Done(IReadOnlyList<DeliveryResult> results) => new(results, null);

        public static HostAttempt Skip(string error) => new(null, error);
    }
}
