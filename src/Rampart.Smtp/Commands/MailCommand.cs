using System.Globalization;
using Rampart.Smtp.Dsn;
using Rampart.Smtp.Protocol;
using Rampart.Smtp.Session;

namespace Rampart.Smtp.Commands;

/// <summary>MAIL opens a transaction with the reverse path and its parameters.</summary>
/// <remarks>RFC 5321 §4.1.1.2; parameters SIZE (RFC 1870 §6.1: over the fixed maximum 552 5.3.4; the value is kept
/// for the per-recipient quota check of RCPT, §6.3), BODY (RFC 6152 §2, RFC 3030 §3), SMTPUTF8
/// (RFC 6531 §3.4), AUTH (RFC 4954 §5, accepted and ignored), RET and ENVID (RFC 3461 §4.3, §4.4; not on LMTP,
/// which does not offer DSN; a bad value is 501 5.5.4). Submission: AUTH first (RFC 4954 §6 530 5.7.0), the
/// sender must be one of the account's addresses (RFC 6409 §6.1), and the per-account rate applies. All modes.</remarks>
internal sealed class MailCommand : ISmtpCommand
{
    public async ValueTask ExecuteAsync(SmtpSession session, SmtpCommandLine command, CancellationToken cancellationToken)
    {
        if (session.HeloName is null)
        {
            session.Reply(503, "5.5.1", session.Mode == SmtpMode.Lmtp ? "Send LHLO first" : "Send EHLO first");
            return;
        }

        if (session.Transaction is not null)
        {
            session.Reply(503, "5.5.1", "Nested MAIL command");
            return;
        }

        if (session.Mode == SmtpMode.Submission && session.Account is null)
        {
            session.Reply(530, "5.7.0", session.CanStartTls ? "Must issue a STARTTLS command first" : "Authentication required");
            return;
        }

        if (!SmtpPath.TryParse(command.Arguments, "FROM:", allowNull: true, out var path, out var error))
        {
            session.Reply(501, "5.5.4", error);
            return;
        }

        var body = BodyType.SevenBit;
        var utf8 = false;
        var dsnReturn = DsnReturn.Unspecified;
        string? envelopeId = null;
        long? declaredSize = null;
        var dsn = session.Extended && session.Mode != SmtpMode.Lmtp;
        foreach (var parameter in path!.Parameters)
        {
            switch (parameter.Keyword)
            {
                case "SIZE" when session.Extended && parameter.Value is { } value:
                    if (value.Length == 0 || !value.All(char.IsAsciiDigit))
                    {
                        session.Reply(501, "5.5.4", "Bad SIZE value");
                        return;
                    }

                    // Twenty digits do not fit a long: such a message is too big anyway.
                    var size = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var declared) ? declared : long.MaxValue;
                    if (size > session.Services.Options.MaxMessageSize)
                    {
                        session.LimitHit(session.Account?.Name, "message-size");
                        session.Reply(552, "5.3.4", "Message size exceeds fixed maximum message size");
                        return;
                    }

                    declaredSize = size;
                    break;
                case "BODY" when session.Extended && parameter.Value is { } value:
                    switch (value.ToUpperInvariant())
                    {
                        case "7BIT":
                            body = BodyType.SevenBit;
                            break;
                        case "8BITMIME":
                            body = BodyType.EightBitMime;
                            break;
                        case "BINARYMIME":
                            body = BodyType.BinaryMime;
                            break;
                        default:
                            session.Reply(501, "5.5.4", "Bad BODY value");
                            return;
                    }

                    break;
                case "SMTPUTF8" when session.Extended && parameter.Value is null:
                    utf8 = true;
                    break;
                case "RET" when dsn:
                    if (!DsnParameters.TryParseReturn(parameter.Value, out dsnReturn))
                    {
                        session.Reply(501, "5.5.4", "Bad RET value, FULL or HDRS");
                        return;
                    }

                    break;
                case "ENVID" when dsn:
                    if (!DsnParameters.TryParseEnvelopeId(parameter.Value, out var decodedId))
                    {
                        session.Reply(501, "5.5.4", "Bad ENVID value");
                        return;
                    }

                    envelopeId = decodedId;
                    break;
                case "AUTH" when session.Extended && parameter.Value is not null:
                    // RFC 4954 §5: a server that does not trust the claim ignores it.
                    break;
                default:
                    session.Reply(555, "5.5.4", $"Parameter {parameter.Keyword} not recognized");
                    return;
            }
        }

        if (path.Address is { NeedsSmtpUtf8: true } && !utf8)
        {
            session.Reply(553, "5.6.7", "Non-ASCII address needs SMTPUTF8");
            return;
        }

        if (session.Mode == SmtpMode.Submission)
        {
            var account = session.Account!;
            var from = path.Address?.ToString();
            if (from is null || !account.Addresses.Contains(from, StringComparer.OrdinalIgnoreCase))
            {
                session.Reply(550, "5.7.1", "Sender address not owned by the authenticated account");
                return;
            }

            if (!session.Services.SendingLimit.CanSend(account.Name))
            {
                session.LimitHit(account.Name, "sending-rate");
                session.Reply(450, "4.7.0", "Sending rate limit reached, try again later");
                return;
            }
        }

        await session.BeginTransactionAsync(new MailTransaction(path.Address, body, utf8) { DeclaredSize = declaredSize, Return = dsnReturn, EnvelopeId = envelopeId });
        session.Reply(250, "2.1.0", "Sender OK");
    }
}
