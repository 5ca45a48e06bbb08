using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MimeKit;
using Rampart.Smtp.Dkim;
using Rampart.Smtp.Domains;
using Rampart.Smtp.Dsn;
using Rampart.Smtp.Outbound;
using Rampart.Store;
using Rampart.Store.Model;

namespace Rampart.Smtp.Queue;

/// <summary>Works through the <see cref="FileOutboundQueue"/>: for each due message, local recipients go straight to
/// the store, remote ones are grouped by domain and sent through <see cref="RemoteDelivery"/>; every outcome is
/// recorded durably before the next transaction starts. Transient failures wait for the next slot of
/// <see cref="OutboundQueueOptions.RetrySchedule"/>; permanent ones, and pending ones past
/// <see cref="OutboundQueueOptions.MaxAge"/>, are reported to the sender in one DSN (RFC 3464), never to <c>&lt;&gt;</c>.</summary>
/// <remarks>A crash between a remote server's 250 and the envelope write repeats that delivery after restart: the
/// one window in which a message can arrive twice (RFC 5321 §6.1 accepts duplicates over loss).</remarks>
public sealed class DeliveryWorker : IDisposable
{
    private readonly FileOutboundQueue queue;
    private readonly IMailStore store;
    private readonly OutboundQueueOptions options;
    private readonly ILogger logger;
    private readonly IMessageSigner? signer;
    private readonly TimeProvider time;
    private readonly RemoteDelivery remote;
    private readonly ConcurrentDictionary<string, DateTimeOffset> schedule = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim wake = new(0);

    /// <summary>A worker over <paramref name="queue"/>; <paramref name="signer"/> DKIM-signs remote mail when given.</summary>
    public DeliveryWorker(FileOutboundQueue queue, IMailStore store, OutboundQueueOptions options, ILogger logger, IMessageSigner? signer = null, TimeProvider? time = null)
    {
        this.queue = queue;
        this.store = store;
        this.options = options;
        this.logger = logger;
        this.signer = signer;
        this.time = time ?? TimeProvider.System;
        // MTA-STS policies live next to the queue, in DATA/mta-sts (RFC 8461 §5.1: cached across restarts).
        options.TransportSecurity.PolicyDirectory ??= Path.Combine(Path.GetDirectoryName(queue.Directory)!, "mta-sts");
        remote = new RemoteDelivery(options, new MxResolver(options.DnsServers, options.DnsTimeout), logger);
    }

    /// <summary>Failures against published TLS policies (MTA-STS, DANE), enforced or only reported.</summary>
    public event Action<TlsPolicyFailure>? TlsPolicyFailed
    {
        add => remote.TlsPolicyFailed += value;
        remove => remote.TlsPolicyFailed -= value;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> fires: picks up what was queued before the start (a
    /// restart after a crash included), what is enqueued meanwhile, and retry requests from <c>rampart queue retry</c>.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        queue.Enqueued += OnEnqueued;
        try
        {
            // A message file without an envelope is a crash before the commit point: nobody was told it was queued.
            queue.RemoveOrphans(TimeSpan.FromHours(1));
            foreach (var envelope in queue.List())
            {
                schedule[envelope.Id] = envelope.NextAttempt;
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                foreach (var id in queue.TakeRetryRequests())
                {
                    schedule[id] = DateTimeOffset.MinValue;
                }

                var now = time.GetUtcNow();
                foreach (var (id, due) in schedule)
                {
                    if (due > now || running.ContainsKey(id) || running.Count >= options.MaxConcurrentDeliveries)
                    {
                        continue;
                    }

                    schedule.TryRemove(id, out _);

                    // The entry exists before the attempt can finish and remove it; a quick attempt never leaves a stale one.
                    var placeholder = Task.CompletedTask;
                    running[id] = placeholder;
                    var attempt = Task.Run(() => AttemptAndRescheduleAsync(id, cancellationToken), CancellationToken.None);
                    running.TryUpdate(id, attempt, placeholder);
                }

                // Only what could start counts: a retry requested for a message in flight must not make this loop spin.
                var next = schedule.Where(e => !running.ContainsKey(e.Key)).Select(e => e.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
                if (next <= now && running.Count < options.MaxConcurrentDeliveries)
                {
                    continue;
                }

                var wait = next <= now || next - now > options.RetryPollInterval ? options.RetryPollInterval : next - now;
                try
                {
                    await wake.WaitAsync(wait, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            queue.Enqueued -= OnEnqueued;
            await Task.WhenAll(running.Values);
        }
    }

    /// <summary>One delivery attempt for the pending recipients of <paramref name="id"/>; returns the envelope as it
    /// stands afterwards, or null when the message has left the queue (all done, or deleted).</summary>
    public async Task<QueueEnvelope?> AttemptAsync(string id, CancellationToken cancellationToken)
    {
        var envelope = queue.Read(id);
        if (envelope is null)
        {
            return null;
        }

        var pending = envelope.Recipients.Where(r => r.Status == RecipientStatus.Pending).ToList();
        if (pending.Count > 0)
        {
            if (!await DeliverLocalAsync(envelope, pending, cancellationToken) || !await DeliverRemoteAsync(envelope, pending, cancellationToken))
            {
                // Deleted while we worked.
                return null;
            }

            envelope.Attempts++;
            var now = time.GetUtcNow();
            var stillPending = envelope.Recipients.Where(r => r.Status == RecipientStatus.Pending).ToList();
            if (stillPending.Count > 0 && now - envelope.Created >= options.MaxAge)
            {
                foreach (var recipient in stillPending)
                {
                    recipient.Status = RecipientStatus.Failed;
                    recipient.StatusCode = "4.4.7";
                    recipient.LastReply = $"delivery time expired after {envelope.Attempts} attempts; last error: {recipient.LastReply}";
                    recipient.Completed = now;
                }
            }
            else if (stillPending.Count > 0)
            {
                envelope.NextAttempt = now + options.RetryDelay(envelope.Attempts);
                envelope.LastError = stillPending[0].LastReply;
            }

            if (!queue.Save(envelope))
            {
                return null;
            }
        }

        await NotifySenderAsync(envelope, cancellationToken);
        if (envelope.IsFinished)
        {
            queue.Delete(id);
            return null;
        }

        return envelope;
    }

    private async Task AttemptAndRescheduleAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var envelope = await AttemptAsync(id, cancellationToken);
            if (envelope is not null)
            {
                schedule.TryAdd(id, envelope.NextAttempt);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the envelope on disk says what is still pending.
        }
        catch (Exception e)
        {
            // A bug or a full disk must not stop the queue, nor spin on one message.
            logger.LogError(e, "outbound queue {Id}: attempt failed", id);
            schedule.TryAdd(id, time.GetUtcNow() + options.RetryDelay(1));
        }
        finally
        {
            running.TryRemove(id, out _);
            wake.Release();
        }
    }

    public void Dispose()
    {
        wake.Dispose();
        remote.Dispose();
    }

    private void OnEnqueued(string id)
    {
        schedule[id] = DateTimeOffset.MinValue;
        wake.Release();
    }

    /// <summary>Recipients with an account here go into the store (RFC 5321 §3.6.2 would allow relaying them; there is
    /// no reason to): into the account and mailbox resolved when they were queued, else the account owning the address.
    /// Recipients that reach one account and mailbox (aliases) share one copy, as at the end of DATA. Returns false
    /// when the message was deleted.</summary>
    private async Task<bool> DeliverLocalAsync(QueueEnvelope envelope, List<QueuedRecipient> pending, CancellationToken cancellationToken)
    {
        var targets = new List<DeliveryTarget>();
        var local = new List<(QueuedRecipient Recipient, int Target)>();
        foreach (var recipient in pending)
        {
            var account = recipient.Account ?? (await FindLocalAsync(recipient.Address, cancellationToken))?.Name;
            if (account is null)
            {
                continue;
            }

            var index = targets.FindIndex(t => string.Equals(t.Account, account, StringComparison.OrdinalIgnoreCase) && t.Mailbox == recipient.Mailbox);
            if (index < 0)
            {
                targets.Add(new DeliveryTarget(account, recipient.Mailbox, MessageFlags.Empty));
                index = targets.Count - 1;
            }

            local.Add((recipient, index));
        }

        if (local.Count == 0)
        {
            return true;
        }

        IReadOnlyList<DeliveryOutcome> outcomes;
        await using (var message = queue.OpenMessage(envelope.Id))
        {
            outcomes = await store.DeliverAsync(message, targets, cancellationToken: cancellationToken);
        }

        var now = time.GetUtcNow();
        foreach (var (recipient, target) in local)
        {
            pending.Remove(recipient);
            var (kind, code, text) = outcomes[target].Error switch
            {
                null => (DeliveryResultKind.Delivered, "2.0.0", "delivered to the local mailbox"),
                // Smtp:OverQuotaTemporary decides, as it does for the listeners' 452/552: a permanent answer fails the
                // recipient now (DSN 5.2.2), a temporary one retries until MaxAge gives up (DSN 4.4.7).
                StoreError.OverQuota when options.OverQuotaTemporary => (DeliveryResultKind.Transient, "4.2.2", "mailbox full"),
                StoreError.OverQuota => (DeliveryResultKind.Permanent, "5.2.2", "mailbox full"),
                StoreError.TooBig => (DeliveryResultKind.Permanent, "5.3.4", "message too big for the mailbox"),
                StoreError.NotFound => (DeliveryResultKind.Permanent, "5.1.1", "no such mailbox"),
                StoreError.Disabled => (DeliveryResultKind.Permanent, "5.2.1", "mailbox disabled"),
                { } other => (DeliveryResultKind.Transient, "4.3.0", $"local delivery failed: {other}"),
            };
            Apply(recipient, new DeliveryResult(recipient.Address, kind, code, text), now);
        }

        return queue.Save(envelope);
    }

    private async Task<bool> DeliverRemoteAsync(QueueEnvelope envelope, List<QueuedRecipient> pending, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return true;
        }

        var groups = new Dictionary<string, List<QueuedRecipient>>(StringComparer.Ordinal);
        foreach (var recipient in pending)
        {
            var domain = DomainOf(recipient.Address);
            if (domain is null)
            {
                Apply(recipient, new DeliveryResult(recipient.Address, DeliveryResultKind.Permanent, "5.1.3", "bad destination mailbox address syntax"), time.GetUtcNow());
                continue;
            }

            if (!groups.TryGetValue(domain, out var list))
            {
                groups[domain] = list = [];
            }

            list.Add(recipient);
        }

        var message = await PrepareAsync(envelope, cancellationToken);
        foreach (var (domain, recipients) in groups)
        {
            foreach (var chunk in recipients.Chunk(options.MaxRecipientsPerTransaction))
            {
                var results = await remote.DeliverAsync(domain, envelope.Sender, [.. chunk.Select(r => r.Address)], message, cancellationToken);
                var now = time.GetUtcNow();
                for (var i = 0; i < chunk.Length; i++)
                {
                    Apply(chunk[i], results[i], now);
                }

                // Durable before the next transaction: a crash from here on never sends these recipients again.
                if (!queue.Save(envelope))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The message as it will be sent: with the DKIM-Signature of the From domain in front when a signer holds
    /// a key for it (RFC 6376 §5).</summary>
    private async Task<OutboundMessage> PrepareAsync(QueueEnvelope envelope, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> prefix = ReadOnlyMemory<byte>.Empty;
        if (signer is not null)
        {
            await using var stream = queue.OpenMessage(envelope.Id);
            var domain = FromDomain(stream);
            if (domain is not null)
            {
                stream.Position = 0;
                try
                {
                    var signature = await signer.SignAsync(stream, domain, cancellationToken);
                    if (signature is not null)
                    {
                        prefix = System.Text.Encoding.ASCII.GetBytes(signature);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // An unsigned message may be judged worse by DMARC, but a broken key must not hold all mail for days.
                    logger.LogError(e, "outbound queue {Id}: DKIM signing for {Domain} failed; sending unsigned", envelope.Id, domain);
                }
            }
        }

        var length = new FileInfo(Path.Combine(queue.Directory, envelope.Id + ".eml")).Length;
        return new OutboundMessage(prefix, () => queue.OpenMessage(envelope.Id), length) { Dsn = DsnOf(envelope) };
    }

    /// <summary>The sender's DSN parameters as queued, to pass on to the next hop; null when it gave none.</summary>
    private static DsnRequest? DsnOf(QueueEnvelope envelope)
    {
        var recipients = envelope.Recipients.Where(r => r.Notify != DsnNotify.None || r.OriginalRecipient is not null)
            .ToDictionary(r => r.Address, r => new RecipientDsn(r.Notify, r.OriginalRecipientType, r.OriginalRecipient), StringComparer.OrdinalIgnoreCase);
        return envelope.Return == DsnReturn.Unspecified && envelope.EnvelopeId is null && recipients.Count == 0
            ? null
            : new DsnRequest(envelope.Return, envelope.EnvelopeId, recipients);
    }

    /// <summary>Sends the DSNs not yet sent, then marks their recipients reported: one for the failed recipients whose
    /// NOTIFY asks for failures (absent NOTIFY does), one for the delivered ones whose NOTIFY says SUCCESS
    /// (RFC 3461 §4.1), one for the pending ones whose NOTIFY says DELAY once the message has waited
    /// <see cref="OutboundQueueOptions.DelayWarning"/>. NOTIFY=NEVER, or a list without FAILURE, silences the failure report.</summary>
    private async Task NotifySenderAsync(QueueEnvelope envelope, CancellationToken cancellationToken)
    {
        var failed = envelope.Recipients.Where(r => r.Status == RecipientStatus.Failed && !r.Notified).ToList();
        var succeeded = envelope.Recipients.Where(r => r.Status == RecipientStatus.Delivered && !r.Notified && !r.DsnPassedOn && r.Notify.HasFlag(DsnNotify.Success)).ToList();
        var delayed = time.GetUtcNow() - envelope.Created >= options.DelayWarning
            ? envelope.Recipients.Where(r => r.Status == RecipientStatus.Pending && !r.DelayNotified && r.Notify.HasFlag(DsnNotify.Delay)).ToList()
            : [];
        if (failed.Count == 0 && succeeded.Count == 0 && delayed.Count == 0)
        {
            return;
        }

        // RFC 5321 §4.5.5 / RFC 3464 §2: never a notification about a notification (null reverse path).
        if (envelope.Sender.Length > 0)
        {
            var reported = failed.Where(r => r.WantsFailureNotice).ToList();
            if (reported.Count > 0)
            {
                await SendReportAsync(envelope, reported, cancellationToken);
            }

            if (succeeded.Count > 0)
            {
                await SendReportAsync(envelope, succeeded, cancellationToken);
            }

            if (delayed.Count > 0)
            {
                await SendReportAsync(envelope, delayed, cancellationToken);
            }
        }

        foreach (var recipient in delayed)
        {
            recipient.DelayNotified = true;
        }

        foreach (var recipient in failed.Concat(succeeded))
        {
            recipient.Notified = true;
        }

        queue.Save(envelope);
    }

    /// <summary>One DSN about <paramref name="recipients"/> to the sender: into its mailbox when it is local, else queued.</summary>
    private async Task SendReportAsync(QueueEnvelope envelope, List<QueuedRecipient> recipients, CancellationToken cancellationToken)
    {
        byte[] report;
        await using (var original = queue.OpenMessage(envelope.Id))
        {
            report = DeliveryStatusReport.Build(envelope, recipients, original, options.HeloName, time.GetUtcNow(), options.MaxAge);
        }

        var account = await FindLocalAsync(envelope.Sender, cancellationToken);
        var delivered = false;
        if (account is not null)
        {
            var outcome = await store.DeliverAsync(new MemoryStream(report), [new DeliveryTarget(account.Name, null, MessageFlags.Empty)], cancellationToken: cancellationToken);
            delivered = outcome[0].Error is null;
            if (!delivered)
            {
                logger.LogWarning("outbound queue {Id}: DSN to local {Sender} failed ({Error}); queueing it", envelope.Id, envelope.Sender, outcome[0].Error);
            }
        }

        if (!delivered)
        {
            var dsnId = await queue.EnqueueAsync(string.Empty, [envelope.Sender], new MemoryStream(report), cancellationToken);
            logger.LogInformation("outbound queue {Id}: DSN to {Sender} queued as {DsnId}", envelope.Id, envelope.Sender, dsnId);
        }
    }

    private async Task<Account?> FindLocalAsync(string address, CancellationToken cancellationToken)
    {
        if (!address.Contains('@', StringComparison.Ordinal))
        {
            return null;
        }

        var account = await store.FindAccountAsync(address, cancellationToken);
        return account is not null && account.Addresses.Contains(address, StringComparer.OrdinalIgnoreCase) ? account : null;
    }

    private static void Apply(QueuedRecipient recipient, DeliveryResult result, DateTimeOffset now)
    {
        recipient.LastReply = result.Reply;
        recipient.StatusCode = result.StatusCode;
        recipient.RemoteHost = result.RemoteHost ?? recipient.RemoteHost;
        recipient.DsnPassedOn = result.DsnPassedOn;
        switch (result.Kind)
        {
            case DeliveryResultKind.Delivered:
                recipient.Status = RecipientStatus.Delivered;
                recipient.Completed = now;
                break;
            case DeliveryResultKind.Permanent:
                recipient.Status = RecipientStatus.Failed;
                recipient.Completed = now;
                break;
        }
    }

    /// <summary>The domain part as an A-label, or the address literal as written; null when unusable.</summary>
    private static string? DomainOf(string address)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1)
        {
            return null;
        }

        var domain = address[(at + 1)..];
        if (domain.StartsWith('['))
        {
            return domain.EndsWith(']') ? domain : null;
        }

        return DomainName.TryToAscii(domain, out var ascii) ? ascii : null;
    }

    private static string? FromDomain(Stream message)
    {
        try
        {
            var headers = HeaderList.Load(ParserOptions.Default, message);
            var from = headers[HeaderId.From];
            if (from is not null && InternetAddressList.TryParse(from, out var list) && list.Mailboxes.FirstOrDefault() is { } mailbox)
            {
                return mailbox.Domain.Length > 0 && DomainName.TryToAscii(mailbox.Domain, out var ascii) ? ascii : null;
            }
        }
        catch (FormatException)
        {
            // A header MimeKit cannot parse has no usable From: the message goes unsigned.
        }

        return null;
    }
}
