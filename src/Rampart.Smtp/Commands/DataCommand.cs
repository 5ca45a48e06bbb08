using Rampart.Smtp.Delivery;
using Rampart.Smtp.Protocol;
using Rampart.Smtp.Session;

namespace Rampart.Smtp.Commands;

/// <summary>DATA receives the message, streamed through the dot-unstuffing decoder into a spool file, then delivers it.</summary>
/// <remarks>RFC 5321 §4.1.1.4 (354, then the content up to <c>CRLF.CRLF</c>), §4.5.2 (transparency); RFC 2033 §4.2
/// (LMTP: one reply per accepted recipient). A message with a bare CR or LF, a line or size over the limits is read to
/// its end, refused and never stored. All modes.</remarks>
internal sealed class DataCommand : ISmtpCommand
{
    public async ValueTask ExecuteAsync(SmtpSession session, SmtpCommandLine command, CancellationToken cancellationToken)
    {
        if (command.Arguments.Length > 0)
        {
            session.Reply(501, "5.5.4", "DATA takes no arguments");
            return;
        }

        if (session.Transaction is not { } transaction)
        {
            session.Reply(503, "5.5.1", "Need MAIL command");
            return;
        }

        if (transaction.Chunks is not null)
        {
            session.Reply(503, "5.5.1", "DATA cannot follow BDAT");
            return;
        }

        if (transaction.Body == BodyType.BinaryMime)
        {
            // RFC 3030 §3: BINARYMIME content can only travel in BDAT chunks.
            session.Reply(503, "5.5.1", "BODY=BINARYMIME requires BDAT");
            return;
        }

        if (transaction.Recipients.Count == 0)
        {
            session.Reply(554, "5.5.1", "No valid recipients");
            return;
        }

        session.Reply(354, null, "End data with <CR><LF>.<CR><LF>");
        var options = session.Services.Options;
        var decoder = new DataDecoder(options.MaxMessageSize, options.MaxDataLineLength);
        await using var spool = MessageSpool.Create(session.Services.SpoolDirectory);
        if (!await session.ReadDataAsync(decoder, spool.Stream, cancellationToken))
        {
            // The client left in the middle: nothing is delivered (RFC 5321 §4.1.1.4).
            session.CloseRequested = true;
            await session.EndTransactionAsync();
            return;
        }

        if (decoder.Error != DataError.None)
        {
            var replies = session.Mode == SmtpMode.Lmtp ? transaction.Recipients.Count : 1;
            await session.EndTransactionAsync();
            DataErrorReply.Send(session, decoder.Error, replies);
            return;
        }

        await MessageAcceptance.FinishAsync(session, transaction, spool, cancellationToken);
        await session.EndTransactionAsync();
    }
}
