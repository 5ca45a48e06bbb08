using System.Text;
using Rampart.Smtp.Dsn;
using Rampart.Smtp.Queue;
using Rampart.Smtp.SenderChecks;
using Rampart.Smtp.Session;
using Rampart.Smtp.Submission;
using Rampart.Store;
using Rampart.Store.Model;

namespace Rampart.Smtp.Delivery;

/// <summary>What happens to a spooled message before the final reply: sender checks, the From check of submission,
/// the trace fields, delivery to the store (one blob for every local recipient) and the outbound queue.</summary>
/// <remarks>RFC 5321 §4.4 (Received), RFC 8601 (Authentication-Results, prepended above it), RFC 2033 §4.2 (LMTP:
/// a reply per recipient, in RCPT order), RFC 6409 §6.1 (the From field checked before the message is accepted).</remarks>
internal static class MessageAcceptance
{
    public static async Task FinishAsync(SmtpSession session, MailTransaction transaction, MessageSpool spool, CancellationToken cancellationToken)
    {
        var services = session.Services;
        var stream = spool.Stream;
        await stream.FlushAsync(cancellationToken);
        var header = new StringBuilder();
        var junk = false;
        var reversePath = transaction.ReversePath?.ToString() ?? "";
        if (session.Mode == SmtpMode.Inbound && services.SenderAuthenticator is { } authenticator)
        {
            stream.Position = 0;
            var verdict = await authenticator.EvaluateAsync(new SenderFacts(session.Connection.RemoteEndPoint.Address, session.HeloName ?? "", reversePath), stream, cancellationToken);
            if (verdict.Disposition == DmarcDisposition.Reject)
            {
                session.Reply(550, "5.7.1", "Message rejected: the sender domain's DMARC policy says reject");
                return;
            }

            junk = verdict.Disposition == DmarcDisposition.Quarantine;
            header.Append("Authentication-Results: ").Append(SingleLine(verdict.AuthenticationResults)).Append("\r\n");
        }

        if (session.Mode == SmtpMode.Submission)
        {
            stream.Position = 0;
            if (!await FromHeaderCheck.BelongsToAsync(stream, session.Account!, cancellationToken))
            {
                session.Reply(550, "5.7.1", "From header address not owned by the authenticated account");
                return;
            }
        }

        var recipients = transaction.Recipients;
        var id = session.Id + "." + Guid.NewGuid().ToString("N")[..8];
        var protocol = ReceivedHeader.ProtocolName(session.Mode == SmtpMode.Lmtp, session.Extended, session.Connection.IsTls, session.Account is not null, transaction.SmtpUtf8);
        header.Append(ReceivedHeader.Build(session.HeloName ?? "unknown", session.Connection.RemoteEndPoint.Address, services.HostName, protocol, id,
            recipients.Count == 1 ? recipients[0].Address.ToString() : null, DateTimeOffset.UtcNow));
        var prefix = Encoding.UTF8.GetBytes(header.ToString());

        // One target per account and mailbox: two aliases of one account get one copy (LMTP still answers each).
        var targets = new List<DeliveryTarget>();
        var targetOf = new int[recipients.Count];
        for (var i = 0; i < recipients.Count; i++)
        {
            var recipient = recipients[i];
            if (recipient.IsRemote)
            {
                targetOf[i] = -1;
                continue;
            }

            var mailbox = junk
                ? await RecipientResolver.SpecialMailboxAsync(services.Store, recipient.Account!, SpecialUse.Junk, "Junk", cancellationToken)
                : recipient.Mailbox;
            var target = new DeliveryTarget(recipient.Account!, mailbox, MessageFlags.Empty);
            var index = targets.FindIndex(t => string.Equals(t.Account, target.Account, StringComparison.OrdinalIgnoreCase) && t.Mailbox == target.Mailbox);
            if (index < 0)
            {
                targets.Add(target);
                index = targets.Count - 1;
            }

            targetOf[i] = index;
        }

        if (session.Mode == SmtpMode.Submission && services.Options.SaveToSent)
        {
            var sent = await RecipientResolver.SpecialMailboxAsync(services.Store, session.Account!.Name, SpecialUse.Sent, "Sent", cancellationToken);
            targets.Add(new DeliveryTarget(session.Account.Name, sent, new MessageFlags(SystemFlags.Seen, [])));
        }

        IReadOnlyList<DeliveryOutcome> outcomes = [];
        if (targets.Count > 0)
        {
            stream.Position = 0;
            outcomes = await services.Store.DeliverAsync(new PrefixedStream(prefix, stream), targets, null, cancellationToken);
        }

        var remote = recipients.Where(r => r.IsRemote).Select(r => r.Address.ToString()).ToList();
        var queued = true;
        if (remote.Count > 0)
        {
            stream.Position = 0;
            try
            {
                await services.OutboundQueue!.EnqueueAsync(reversePath, remote, new PrefixedStream(prefix, stream), transaction.DsnRequest, cancellationToken);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                queued = false;
            }
        }

        if (session.Mode == SmtpMode.Submission)
        {
            services.SendingLimit.Count(session.Account!.Name);
        }

        if (session.Mode == SmtpMode.Lmtp)
        {
            // RFC 2033 §4.2: one reply per recipient that RCPT accepted, in order.
            for (var i = 0; i < recipients.Count; i++)
            {
                var (code, enhanced, text) = ReplyFor(outcomes[targetOf[i]].Error, services.Options.OverQuotaTemporary);
                session.Reply(code, enhanced, $"<{recipients[i].Address}> {text}");
            }

            return;
        }

        var failures = targetOf.Where(t => t >= 0).Select(t => outcomes[t].Error).Where(e => e is not null).ToList();
        var delivered = targetOf.Count(t => t >= 0) - failures.Count + (remote.Count > 0 && queued ? 1 : 0);
        if (delivered > 0 && failures.Count > 0 && queued)
        {
            // One reply covers every recipient (RFC 5321 §4.2.5): the message is accepted for the others, so the ones
            // the store refused (a mailbox filled up since RCPT) must not be dropped silently (§6.1). The outbound
            // queue takes them, each with its account and mailbox (the +tag folder, Junk) and the client's DSN parameters
            // (RFC 3461): as Smtp:OverQuotaTemporary says, it reports over-quota to the sender at once (DSN) or retries
            // the local delivery and reports when it gives up.
            var refused = recipients.Select((r, i) => (Recipient: r, Target: targetOf[i]))
                .Where(x => x.Target >= 0 && outcomes[x.Target].Error is not null)
                .Select(x => new LocalRecipient(x.Recipient.Address.ToString(), targets[x.Target].Account, targets[x.Target].Mailbox)).ToList();
            queued = await RequeueAsync(services, reversePath, refused, transaction.DsnRequest, prefix, stream, cancellationToken);
        }

        if (delivered == 0 || !queued)
        {
            // Nothing accepted, or a refused recipient could not be queued: the sender keeps the message (a recipient
            // already delivered may then get it twice, which RFC 5321 §6.1 prefers to losing it).
            // A failed queue write is ours and temporary; among store failures a temporary one wins, so the recipient
            // that may yet take the message is retried (the others are refused again at the retry's RCPT or DATA).
            var (code, enhanced, text) = !queued || failures.Count == 0
                ? (451, "4.3.0", "Queueing failed, try again later")
                : failures.Select(f => ReplyFor(f, services.Options.OverQuotaTemporary)).OrderBy(r => r.Code >= 500).First();
            session.Reply(code, enhanced, text);
            return;
        }

        // RFC 3461 §4.1: NOTIFY=SUCCESS for the recipients stored just now (queued ones are reported by the queue).
        await DeliveredReport.QueueAsync(services, transaction, recipients, targetOf, outcomes, id, prefix, stream, cancellationToken);
        session.Reply(250, "2.0.0", $"Message accepted, id {id}");
    }

    /// <summary>The reply for a recipient over its quota: 552 5.2.2 (RFC 5321 §4.2.2 "exceeded storage allocation",
    /// RFC 3463 §3.3 X.2.2 "mailbox full"), or 452 4.2.2 with <see cref="SmtpOptions.OverQuotaTemporary"/>.</summary>
    internal static (int Code, string Enhanced, string Text) OverQuotaReply(bool temporary) =>
        temporary ? (452, "4.2.2", "Mailbox full, try again later") : (552, "5.2.2", "Mailbox full");

    /// <summary>Hands recipients the store refused to the outbound queue; false when there is none or it failed.</summary>
    private static async Task<bool> RequeueAsync(SmtpServices services, string reversePath, List<LocalRecipient> recipients, DsnRequest? dsn, byte[] prefix, Stream stream, CancellationToken cancellationToken)
    {
        if (services.OutboundQueue is not { } queue)
        {
            return false;
        }

        stream.Position = 0;
        try
        {
            await queue.EnqueueLocalAsync(reversePath, recipients, new PrefixedStream(prefix, stream), dsn, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A store outcome as a reply: 250, or the right 4xx/5xx with RFC 3463 codes.</summary>
    private static (int Code, string Enhanced, string Text) ReplyFor(StoreError? error, bool overQuotaTemporary) => error switch
    {
        null => (250, "2.1.5", "Delivered"),
        StoreError.OverQuota => OverQuotaReply(overQuotaTemporary),
        StoreError.TooBig => (552, "5.3.4", "Message too big for the mailbox"),
        StoreError.Disabled => (550, "5.2.1", "Mailbox disabled"),
        StoreError.NotFound => (550, "5.1.1", "No such user here"),
        _ => (451, "4.3.0", "Mail store error, try again later"),
    };

    /// <summary>Folds nothing and lets no CR or LF through: a checker's result must stay one header field.</summary>
    private static string SingleLine(string value) => value.Replace('\r', ' ').Replace('\n', ' ');
}
