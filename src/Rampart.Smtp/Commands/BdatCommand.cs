using System.Globalization;
using Rampart.Smtp.Delivery;
using Rampart.Smtp.Protocol;
using Rampart.Smtp.Session;

namespace Rampart.Smtp.Commands;

/// <summary>BDAT receives one chunk of exactly the announced size; the LAST one delivers the message.</summary>
/// <remarks>RFC 3030 §2 (chunks are read even when refused, so the session stays in step; after a failed chunk the
/// rest of the sequence is refused), §3 (BINARYMIME). All modes.</remarks>
internal sealed class BdatCommand : ISmtpCommand
{
    /// <summary>Most digits in a chunk size: 19 fits a long.</summary>
    private const int MaxSizeDigits = 18;

    public async ValueTask ExecuteAsync(SmtpSession session, SmtpCommandLine command, CancellationToken cancellationToken)
    {
        var words = command.Arguments.Split(' ');
        if (words.Length is < 1 or > 2 || words[0].Length is 0 or > MaxSizeDigits || !words[0].All(char.IsAsciiDigit)
            || (words.Length == 2 && !words[1].Equals("LAST", StringComparison.OrdinalIgnoreCase)))
        {
            // Without a size we cannot find the next command in the stream: close (RFC 3030 §2 has no recovery).
            session.Reply(501, "5.5.4", "Syntax: BDAT size [LAST]; closing");
            session.CloseRequested = true;
            return;
        }

        var size = long.Parse(words[0], NumberStyles.None, CultureInfo.InvariantCulture);
        var last = words.Length == 2;
        var options = session.Services.Options;
        var transaction = session.Transaction;
        if (transaction is null || transaction.Recipients.Count == 0 || transaction.ChunksFailed)
        {
            if (!await session.ReadChunkAsync(size, new ChunkInspector(long.MaxValue, int.MaxValue, binary: true), null, cancellationToken))
            {
                session.CloseRequested = true;
                return;
            }

            if (transaction is null)
            {
                session.Reply(503, "5.5.1", "Need MAIL command");
            }
            else
            {
                session.Reply(554, "5.5.1", transaction.ChunksFailed ? "Message already refused" : "No valid recipients");
                if (last)
                {
                    await session.EndTransactionAsync();
                }
            }

            return;
        }

        transaction.Chunks ??= MessageSpool.Create(session.Services.SpoolDirectory);
        transaction.ChunkInspector ??= new ChunkInspector(options.MaxMessageSize, options.MaxDataLineLength, transaction.Body == BodyType.BinaryMime);
        var inspector = transaction.ChunkInspector;
        if (!await session.ReadChunkAsync(size, inspector, transaction.Chunks.Stream, cancellationToken))
        {
            session.CloseRequested = true;
            await session.EndTransactionAsync();
            return;
        }

        if (last)
        {
            inspector.Finish();
        }

        if (inspector.Error != DataError.None)
        {
            transaction.ChunksFailed = true;
            DataErrorReply.Send(session, inspector.Error, last && session.Mode == SmtpMode.Lmtp ? transaction.Recipients.Count : 1);
            if (last)
            {
                await session.EndTransactionAsync();
            }

            return;
        }

        if (!last)
        {
            session.Reply(250, "2.0.0", $"{size.ToString(CultureInfo.InvariantCulture)} octets received");
            return;
        }

        await MessageAcceptance.FinishAsync(session, transaction, transaction.Chunks, cancellationToken);
        await session.EndTransactionAsync();
    }
}
