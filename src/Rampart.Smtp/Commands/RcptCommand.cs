using Rampart.Smtp.Delivery;
using Rampart.Smtp.Dsn;
using Rampart.Smtp.Protocol;
using Rampart.Smtp.Session;

namespace Rampart.Smtp.Commands;

/// <summary>RCPT adds a recipient, checked now so that nothing is accepted for an address we cannot deliver to.</summary>
/// <remarks>RFC 5321 §4.1.1.3 and §3.6 (relaying). Inbound: only existing accounts in hosted domains, anything else
/// 550 5.7.1 — never an open relay, authenticated or not. Submission: hosted domains deliver locally, others go to the
/// outbound queue. LMTP (RFC 2033 §4.2): existing accounts, by address or login name. Limits: 452 4.5.3 over
/// <see cref="SmtpOptions.MaxRecipients"/> (RFC 5321 §4.5.3.1.10). All modes. A full mailbox, or one without room for
/// the size MAIL declared (RFC 1870 §6.3), is refused here on inbound and submission (<see cref="QuotaGate"/>); on LMTP
/// here only when MAIL declared a size, else after DATA.</remarks>
internal sealed class RcptCommand : ISmtpCommand
{
    public async ValueTask ExecuteAsync(SmtpSession session, SmtpCommandLine command, CancellationToken cancellationToken)
    {
        if (session.Transaction is not { } transaction)
        {
            session.Reply(503, "5.5.1", "Need MAIL before RCPT");
            return;
        }

        if (!SmtpPath.TryParse(command.Arguments, "TO:", allowNull: false, out var path, out var error))
        {
            session.Reply(501, "5.5.4", error);
            return;
        }

        if (!TryReadDsn(session, path!, out var dsn))
        {
            return;
        }

        // Kept by address for the outbound queue (RFC 3461 §4.1, §4.2); a refused RCPT leaves an entry nobody asks for.
        if (dsn is null)
        {
            transaction.RecipientDsn.Remove(path!.Address!.ToString());
        }
        else
        {
            transaction.RecipientDsn[path!.Address!.ToString()] = dsn;
        }

        var address = path.Address!;
        if (address.NeedsSmtpUtf8 && !transaction.SmtpUtf8)
        {
            session.Reply(553, "5.6.7", "Non-ASCII address needs SMTPUTF8");
            return;
        }

        if (transaction.Recipients.Count >= session.Services.Options.MaxRecipients)
        {
            session.LimitHit(session.Account?.Name, "recipients");
            session.Reply(452, "4.5.3", "Too many recipients");
            return;
        }

        var services = session.Services;
        var local = session.Mode == SmtpMode.Lmtp || (!address.IsAddressLiteral && services.HostedDomains.IsHosted(address.Domain));
        if (!local)
        {
            if (session.Mode == SmtpMode.Inbound)
            {
                session.CountError();
                session.Reply(550, "5.7.1", "Relay access denied");
                return;
            }

            if (services.OutboundQueue is null)
            {
                session.Reply(451, "4.3.0", "Outbound delivery is not configured on this server");
                return;
            }

            transaction.Recipients.Add(new Recipient(address, null, null));
            session.Reply(250, "2.1.5", "Recipient OK");
            return;
        }

        var found = await RecipientResolver.ResolveAsync(services.Store, address, allowLoginName: session.Mode == SmtpMode.Lmtp, cancellationToken);
        if (found is not { } target)
        {
            if (session.Mode != SmtpMode.Lmtp)
            {
                session.CountError();
            }

            session.Reply(550, "5.1.1", "No such user here");
            return;
        }

        if (!target.Account.Enabled)
        {
            session.Reply(550, "5.2.1", "Mailbox disabled");
            return;
        }

        // LMTP weighs the quota at RCPT only when MAIL declared a size (RFC 1870 §6.3); its check is otherwise after DATA.
        if ((session.Mode != SmtpMode.Lmtp || transaction.DeclaredSize is not null)
            && await QuotaGate.RefusesAsync(session, target.Account.Name, transaction.DeclaredSize, cancellationToken))
        {
            return;
        }

        transaction.Recipients.Add(new Recipient(address, target.Account.Name, target.Mailbox));
        session.Reply(250, "2.1.5", "Recipient OK");
    }

    /// <summary>NOTIFY and ORCPT (RFC 3461 §4.1, §4.2) on inbound and submission after EHLO; any other parameter is
    /// 555 5.5.4, a bad value 501 5.5.4. Null when neither was given.</summary>
    private static bool TryReadDsn(SmtpSession session, SmtpPath path, out RecipientDsn? dsn)
    {
        dsn = null;
        var notify = DsnNotify.None;
        string? type = null;
        string? original = null;
        var allowed = session.Extended && session.Mode != SmtpMode.Lmtp;
        foreach (var parameter in path.Parameters)
        {
            switch (parameter.Keyword)
            {
                case "NOTIFY" when allowed:
                    if (!DsnParameters.TryParseNotify(parameter.Value, out notify))
                    {
                        session.Reply(501, "5.5.4", "Bad NOTIFY value, NEVER or SUCCESS,FAILURE,DELAY");
                        return false;
                    }

                    break;
                case "ORCPT" when allowed:
                    if (!DsnParameters.TryParseOriginalRecipient(parameter.Value, out var addressType, out var address))
                    {
                        session.Reply(501, "5.5.4", "Bad ORCPT value, addr-type;xtext");
                        return false;
                    }

                    (type, original) = (addressType, address);
                    break;
                default:
                    session.Reply(555, "5.5.4", $"Parameter {parameter.Keyword} not recognized");
                    return false;
            }
        }

        if (notify != DsnNotify.None || original is not null)
        {
            dsn = new RecipientDsn(notify, type, original);
        }

        return true;
    }
}
