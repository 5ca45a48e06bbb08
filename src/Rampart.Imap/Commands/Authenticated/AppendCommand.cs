using System.Buffers;
using System.IO.Pipelines;
using Rampart.Imap.Protocol;
using Rampart.Imap.Session;
using Rampart.Net.Reading;
using Rampart.Store;
using Rampart.Store.Model;

namespace Rampart.Imap.Commands.Authenticated;

/// <summary>
/// APPEND stores messages given as literals, streaming each one to the store as it arrives (never held whole in
/// memory), with flags and INTERNALDATE, several per command (MULTIAPPEND), and answers APPENDUID.
/// </summary>
/// <remarks>RFC 9051 §6.3.12 (RFC 3501 §6.3.11), RFC 3502, RFC 4315 §3, RFC 7889 (APPENDLIMIT).
/// States: Authenticated, Selected. A missing mailbox gets <c>NO [TRYCREATE]</c> before the continuation.
/// MULTIAPPEND is all or nothing (RFC 3502 §6.3.11): when one message fails, those already stored by the command are
/// expunged again before the NO/BAD, so none is kept (other sessions may briefly see them come and go).</remarks>
internal static class AppendCommand
{
    /// <summary>Longest mailbox name accepted as a literal inside APPEND, in octets.</summary>
    private const int MaxNameLiteral = 4 * 1024;

    public static CommandDefinition Definition { get; } = new("APPEND", SessionState.LoggedIn, "RFC 9051 §6.3.12", (_, _) => throw new InvalidOperationException("APPEND is run by StreamAsync."));

    /// <summary>The APPENDLIMIT: the connection's post-login literal limit.</summary>
    public static long Limit(ImapSession session) => session.Services.Options.Limits.MaxLiteral;

    public static async Task StreamAsync(ImapSession session, string tag, byte[] line, int argsStart, LiteralHeader? literal, CancellationToken cancellationToken)
    {
        var text = line[argsStart..];
        var results = new List<AppendResult>();
        var account = session.RequireAccount();
        try
        {
            await ReadMessagesAsync(session, account, text, literal, results, cancellationToken);
        }
        catch (Exception e) when ((e is ImapCommandException or StoreException or IOException) && results.Count > 0)
        {
            await RollBackAsync(account, results);
            throw;
        }

        if (session.Selected is { } view && results.Count > 0 && results[0].MailboxId == view.MailboxId)
        {
            foreach (var result in results)
            {
                view.NoteAdded(result.Uid);
            }
        }

        await session.DrainChangesAsync(cancellationToken);
        session.ReportChanges(allowExpunge: true);
        var uids = UidSet.FromRanges(results.Select(r => (r.Uid, r.Uid)));
        session.Writer.Status(tag, "OK", FormattableString.Invariant($"APPENDUID {results[0].UidValidity} {uids}"), "APPEND completed");
    }

    /// <summary>Reads each message of the command (MULTIAPPEND: several) and streams it to the store; the stored ones
    /// are added to <paramref name="results"/> as they are stored.</summary>
    private static async Task ReadMessagesAsync(ImapSession session, IAccountStore account, byte[] text, LiteralHeader? literal, List<AppendResult> results, CancellationToken cancellationToken)
    {
        string? mailbox = null;
        while (true)
        {
            var reader = new ArgumentReader(text);
            MessageFlags flags;
            DateTimeOffset? date = null;
            try
            {
                if (mailbox is null)
                {
                    reader.Space();
                    if (literal is { } nameLiteral && IsLiteralMarker(reader.Remaining))
                    {
                        (text, literal) = await ReadNameLiteralAsync(session, text, nameLiteral, cancellationToken);
                        continue;
                    }

                    mailbox = reader.Mailbox(session.Utf8Names);
                    _ = await account.GetMailboxAsync(mailbox, cancellationToken) ?? throw ImapCommandException.No("TRYCREATE", "No such mailbox");
                }

                reader.Space();
                flags = MessageFlags.Empty;
                if (reader.Peek() == '(')
                {
                    flags = FlagList.ParseList(reader);
                    reader.Space();
                }

                if (reader.Peek() == '"')
                {
                    date = ImapDateTime.TryParseDateTime(reader.String(), out var parsed) ? parsed : throw ImapCommandException.Syntax("Invalid date-time");
                    reader.Space();
                }

                if (literal is null || !IsLiteralMarker(reader.Remaining))
                {
                    throw ImapCommandException.Syntax("Expected the message literal");
                }

                if (literal.Value.Length > Limit(session))
                {
                    throw ImapCommandException.No("TOOBIG", "Message exceeds the APPENDLIMIT");
                }
            }
            catch (Exception e) when (e is ImapCommandException or StoreException)
            {
                await session.DiscardCommandAsync(literal, cancellationToken);
                throw;
            }

            if (literal.Value.Synchronizing)
            {
                await session.ContinueAsync("Ready for literal data", cancellationToken);
            }

            StoreException? failure = null;
            try
            {
                results.Add(await StreamMessageAsync(session, account, mailbox, flags, date, cancellationToken));
            }
            catch (StoreException e)
            {
                failure = e;
            }

            var next = await session.ReadLineAsync(cancellationToken);
            if (next.Status != LineReadStatus.Line)
            {
                throw new IOException("Command ended abnormally after a literal.");
            }

            if (failure is not null)
            {
                await session.DiscardCommandAsync(next.Literal, cancellationToken);
                throw failure;
            }

            if (next.Line.IsEmpty && next.Literal is null)
            {
                break;
            }

            text = next.Line.ToArray();
            literal = next.Literal;
        }
    }

    /// <summary>RFC 3502 §6.3.11: a failed MULTIAPPEND keeps none of its messages.</summary>
    private static async Task RollBackAsync(IAccountStore account, List<AppendResult> results)
    {
        var uids = UidSet.FromRanges(results.Select(r => (r.Uid, r.Uid)));
        await account.StoreFlagsAsync(results[0].MailboxId, uids, new FlagChange(FlagOperation.Add, new MessageFlags(SystemFlags.Deleted, [])), cancellationToken: CancellationToken.None);
        await account.ExpungeAsync(results[0].MailboxId, uids, CancellationToken.None);
        results.Clear();
    }

    /// <summary>Pipes the literal into <see cref="IAccountStore.AppendAsync"/> while it arrives.</summary>
    private static async Task<AppendResult> StreamMessageAsync(ImapSession session, IAccountStore account, string mailbox, MessageFlags flags, DateTimeOffset? date, CancellationToken cancellationToken)
    {
        // Inline schedulers: the store's read of the literal resumes on the thread that just forwarded the bytes
        // (hashing and writing them to the blob file, then parsing the message once the literal ends) instead of
        // being handed to another pool thread for every chunk: fewer thread switches on every APPEND.
        var pipe = new Pipe(new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        var append = Task.Run(
            async () =>
            {
                try
                {
                    await using var input = pipe.Reader.AsStream();
                    return await account.AppendAsync(mailbox, input, flags, date, cancellationToken);
                }
                finally
                {
                    await pipe.Reader.CompleteAsync();
                }
            },
            cancellationToken);
        var complete = false;
        try
        {
            complete = await session.ReadLiteralAsync(new PipeForwardingStream(pipe.Writer), cancellationToken);
        }
        finally
        {
            // A literal cut short must fail the append, never store a truncated message.
            await pipe.Writer.CompleteAsync(complete ? null : new IOException("Connection closed inside the message literal."));
        }

        if (!complete)
        {
            try
            {
                await append;
            }
            catch (Exception e) when (e is IOException or StoreException)
            {
            }

            throw new IOException("Connection closed inside the message literal.");
        }

        return await append;
    }

    private static async Task<(byte[] Text, LiteralHeader? Literal)> ReadNameLiteralAsync(ImapSession session, byte[] text, LiteralHeader header, CancellationToken cancellationToken)
    {
        if (header.Length > MaxNameLiteral)
        {
            await session.DiscardCommandAsync(header, cancellationToken);
            throw ImapCommandException.Bad("TOOBIG", "Mailbox name too long");
        }

        if (header.Synchronizing)
        {
            await session.ContinueAsync("Ready", cancellationToken);
        }

        using var buffer = new MemoryStream();
        buffer.Write(text);
        buffer.Write("\r\n"u8);
        if (!await session.ReadLiteralAsync(buffer, cancellationToken))
        {
            throw new IOException("Connection closed inside a literal.");
        }

        var next = await session.ReadLineAsync(cancellationToken);
        if (next.Status != LineReadStatus.Line)
        {
            throw new IOException("Command ended abnormally after a literal.");
        }

        buffer.Write(next.Line.ToArray());
        return (buffer.ToArray(), next.Literal);
    }

    /// <summary>True when <paramref name="rest"/> is exactly a literal announcement (<c>{N}</c>, <c>{N+}</c>, <c>~{N}</c>).</summary>
    private static bool IsLiteralMarker(ReadOnlySpan<byte> rest)
    {
        if (rest.Length > 0 && rest[0] == '~')
        {
            rest = rest[1..];
        }

        if (rest.Length < 3 || rest[0] != '{' || rest[^1] != '}')
        {
            return false;
        }

        foreach (var b in rest[1..^1])
        {
            if (b is not ((>= (byte)'0' and <= (byte)'9') or (byte)'+'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A write-only stream into a pipe that stops forwarding (and keeps draining) once the store has
    /// stopped reading, so that the literal is always consumed to its end.</summary>
    private sealed class PipeForwardingStream : Stream
    {
        private readonly PipeWriter _writer;
        private bool _readerGone;

        public PipeForwardingStream(PipeWriter writer) => _writer = writer;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_readerGone)
            {
                return;
            }

            var result = await _writer.WriteAsync(buffer, cancellationToken);
            _readerGone = result.IsCompleted;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
