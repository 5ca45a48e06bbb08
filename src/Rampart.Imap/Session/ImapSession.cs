using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;
using Rampart.Imap.Commands.Authenticated;
using Rampart.Imap.Protocol;
using Rampart.Net.Listeners;
using Rampart.Net.Reading;
using Rampart.Store;
using Rampart.Store.Changes;

namespace Rampart.Imap.Session;

/// <summary>
/// One IMAP connection from greeting to LOGOUT (RFC 9051 §3): reads commands with their literals, checks the
/// command table, runs the handler, reports queued mailbox changes where RFC 9051 §7.5 allows, and maps every
/// failure to one tagged reply. One bad command never ends the session.
/// </summary>
internal sealed class ImapSession
{
    /// <summary>RFC 7888 §5: the largest non-synchronizing literal under LITERAL-.</summary>
    public const int LiteralMinusLimit = 4096;

    private ISessionTransport _transport;
    private readonly LineReaderLimits _limits;
    private ProtocolReader _reader;
    private IChangeSubscription? _changes;
    private bool _closing;

    public ImapSession(ISessionTransport transport, ImapServices services)
    {
        _transport = transport;
        Services = services;
        _limits = LineReaderLimits.ForPreAuth(services.Options.Limits);
        _reader = new ProtocolReader(transport.Input, _limits);
        Writer = new ResponseWriter(transport.Output);
    }

    public ImapServices Services { get; }

    /// <summary>The connection's account security (guard, limits, audit); null when the server runs without it.</summary>
    public Rampart.Security.Guard.ConnectionSecurity? Security { get; init; }

    public ISessionTransport Transport => _transport;

    public ResponseWriter Writer { get; private set; }

    public SessionState State { get; private set; } = SessionState.NotAuthenticated;

    public IAccountStore? Account { get; private set; }

    public SelectedMailboxView? Selected { get; private set; }

    /// <summary>COMPRESS=DEFLATE is active (RFC 4978).</summary>
    public bool Compressed => _transport is DeflateTransport;

    /// <summary>ENABLE IMAP4rev2 (RFC 9051 Appendix E).</summary>
    public bool Rev2 { get; set; }

    /// <summary>CONDSTORE enabled (RFC 7162 §3.1): MODSEQ in unsolicited FETCH.</summary>
    public bool CondStore { get; set; }

    /// <summary>QRESYNC enabled (RFC 7162 §3.2): VANISHED instead of EXPUNGE.</summary>
    public bool QResync { get; set; }

    /// <summary>UTF8=ACCEPT enabled (RFC 6855).</summary>
    public bool Utf8Accept { get; set; }

    /// <summary>Whether mailbox names travel as UTF-8 rather than mUTF-7.</summary>
    public bool Utf8Names => Rev2 || Utf8Accept;

    public int FailedAuthentications { get; set; }

    public IAccountStore RequireAccount() => Account ?? throw new InvalidOperationException("Not logged in.");

    public SelectedMailboxView RequireSelected() => Selected ?? throw new InvalidOperationException("No mailbox selected.");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            Writer.Status("*", "OK", "CAPABILITY " + Capabilities.For(this), Services.Options.HostName + " Rampart ready");
            await FlushAsync(cancellationToken);
            while (!_closing && !cancellationToken.IsCancellationRequested)
            {
                if (!await ReadAndRunAsync(cancellationToken))
                {
                    break;
                }
            }
        }
        catch (ConnectionIdleTimeoutException)
        {
            // The connection is already aborted; nothing can be said to the client.
        }
        catch (IOException)
        {
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _changes?.Dispose();
            if (Account is not null)
            {
                await Account.DisposeAsync();
            }
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _transport.Output.FlushAsync(cancellationToken);
    }

    /// <summary>Ends the session after the current reply (LOGOUT, too many failures).</summary>
    public void Close() => _closing = true;

    /// <summary>Reads one more line of the current command (AUTHENTICATE responses, IDLE's DONE); null at end of
    /// input; throws BAD for a line the reader refused.</summary>
    public async Task<byte[]?> ReadContinuationLineAsync(CancellationToken cancellationToken)
    {
        var result = await ReadInCommandLineAsync(cancellationToken);
        switch (result.Status)
        {
            case LineReadStatus.EndOfStream:
                return null;
            case LineReadStatus.Line when result.Literal is null:
                return result.Line.ToArray();
            case LineReadStatus.Line:
                // A literal where none belongs: refuse it, and the rest of the line is garbage.
                if (result.Literal.Value.Synchronizing)
                {
                    _reader.RefuseLiteral();
                }
                else
                {
                    await _reader.ReadLiteralAsync(null, cancellationToken);
                }

                throw ImapCommandException.Syntax("Unexpected literal");
            default:
                if (result.Status is LineReadStatus.LineTooLong or LineReadStatus.NulByte or LineReadStatus.BadLineEnding)
                {
                    await _reader.SkipLineAsync(cancellationToken);
                }

                throw ImapCommandException.Syntax("Line refused");
        }
    }

    /// <summary>Reads the line that follows a literal inside a command (APPEND streaming).</summary>
    public ValueTask<LineReadResult> ReadLineAsync(CancellationToken cancellationToken) => ReadInCommandLineAsync(cancellationToken);

    /// <summary>Reads the first line of a command; under LITERAL- a non-synchronizing literal over
    /// <see cref="LiteralMinusLimit"/> is reported as too large (RFC 7888 §5).</summary>
    private async ValueTask<LineReadResult> ReadCommandLineAsync(CancellationToken cancellationToken)
    {
        var result = await _reader.ReadLineAsync(cancellationToken);
        return OverLiteralMinus(result.Literal) ? result with { Status = LineReadStatus.LiteralTooLarge } : result;
    }

    /// <summary>Reads a line inside a command (after a literal). A non-synchronizing literal over the limit there
    /// means the client is already sending bytes that cannot be accepted: BAD [TOOBIG], and the session ends after it.</summary>
    private async ValueTask<LineReadResult> ReadInCommandLineAsync(CancellationToken cancellationToken)
    {
        var result = await _reader.ReadLineAsync(cancellationToken);
        if (result.Literal is { Synchronizing: false } && (result.Status == LineReadStatus.LiteralTooLarge || OverLiteralMinus(result.Literal)))
        {
            Close();
            Security?.LimitHit(null, "literal-size");
            throw ImapCommandException.Bad("TOOBIG", "Non-synchronizing literal too large");
        }

        return result;
    }

    private bool OverLiteralMinus(LiteralHeader? literal) =>
        Services.Options.LiteralMinus && literal is { Synchronizing: false, Length: > LiteralMinusLimit };

    /// <summary>Starts COMPRESS=DEFLATE after the tagged OK was flushed uncompressed (RFC 4978 §3): the reader and
    /// writer are rebuilt over the deflate transport.</summary>
    public void StartCompression()
    {
        // The old reader may hold compressed bytes the client sent right after its command: hand them back first.
        _reader.Detach();
        _transport = new DeflateTransport(_transport);
        _reader = new ProtocolReader(_transport.Input, _limits);
        Writer = new ResponseWriter(_transport.Output);
    }

    /// <summary>Streams the announced literal to <paramref name="destination"/>, or discards it.</summary>
    public ValueTask<bool> ReadLiteralAsync(Stream? destination, CancellationToken cancellationToken) => _reader.ReadLiteralAsync(destination, cancellationToken);

    public void RefuseLiteral() => _reader.RefuseLiteral();

    /// <summary>Sends <c>+ text</c> and flushes: the go-ahead for a synchronizing literal.</summary>
    public async Task ContinueAsync(string text, CancellationToken cancellationToken)
    {
        Writer.Raw("+ "u8).Ascii(text).Line();
        await FlushAsync(cancellationToken);
    }

    /// <summary>RFC 9051 §6.2.1: after the OK, TLS; the reader is rebuilt over the new input, so nothing
    /// pipelined in plaintext survives (SECURITY.md S01).</summary>
    public async Task StartTlsAsync(CancellationToken cancellationToken)
    {
        await _transport.StartTlsAsync(cancellationToken);
        _reader = new ProtocolReader(_transport.Input, _limits);
        Writer = new ResponseWriter(_transport.Output);
    }

    /// <summary>Moves to Authenticated: opens the account, subscribes to its changes, raises the limits.</summary>
    public async Task LoginAsync(string accountName, CancellationToken cancellationToken)
    {
        Account = await Services.Store.OpenAccountAsync(accountName, cancellationToken);
        _changes = Account.Subscribe();
        _transport.MarkAuthenticated();
        _limits.RaiseForAuthenticated(Services.Options.Limits);
        _transport.IdleTimeout = Services.Options.AuthenticatedIdleTimeout;
        State = SessionState.Authenticated;
        Services.Logger.LogInformation("imap {Session} login {Account}", _transport.Id, accountName);
    }

    public void Select(SelectedMailboxView view)
    {
        Selected = view;
        State = SessionState.Selected;
    }

    public void Deselect()
    {
        Selected = null;
        State = SessionState.Authenticated;
    }

    /// <summary>The account's change feed, for IDLE to wait on.</summary>
    public IChangeSubscription? Changes => _changes;

    /// <summary>Moves every change the feed holds into the selected view (non-blocking).</summary>
    public async Task DrainChangesAsync(CancellationToken cancellationToken)
    {
        if (_changes is null)
        {
            return;
        }

        var overflow = false;
        while (_changes.Changes.TryRead(out var change))
        {
            if (change is FeedOverflow)
            {
                overflow = true;
            }
            else
            {
                Selected?.Apply(change);
            }
        }

        if (overflow && Selected is { } view)
        {
            view.Resynchronize(await RequireAccount().ListUidsAsync(view.MailboxId, cancellationToken));
        }
    }

    /// <summary>Reports queued changes of the selected mailbox.</summary>
    public void ReportChanges(bool allowExpunge) =>
        Selected?.Report(Writer, allowExpunge, QResync, CondStore || QResync);

    private async Task<bool> ReadAndRunAsync(CancellationToken cancellationToken)
    {
        var result = await ReadCommandLineAsync(cancellationToken);
        switch (result.Status)
        {
            case LineReadStatus.EndOfStream:
                return false;
            case LineReadStatus.LineTooLong:
                Security?.LimitHit(null, "line-length");
                Writer.Status("*", "BAD", "TOOBIG", "Line too long");
                await FlushAsync(cancellationToken);
                return await _reader.SkipLineAsync(cancellationToken);
            case LineReadStatus.NulByte or LineReadStatus.BadLineEnding:
                Writer.Status("*", "BAD", null, "NUL or bare CR/LF in command");
                await FlushAsync(cancellationToken);
                return await _reader.SkipLineAsync(cancellationToken);
            case LineReadStatus.BadLiteral:
                Writer.Status(TagOf(result.Line) ?? "*", "BAD", null, "Malformed literal");
                await FlushAsync(cancellationToken);
                return true;
            case LineReadStatus.LiteralTooLarge or LineReadStatus.TooManyLiterals:
                Security?.LimitHit(null, result.Status == LineReadStatus.TooManyLiterals ? "literal-count" : "literal-size");
                Writer.Status(TagOf(result.Line) ?? "*", "BAD", "TOOBIG", "Literal too large");
                if (result.Literal is { Synchronizing: false })
                {
                    // The client is already sending the bytes; nothing after this point can be trusted as a command.
                    Writer.Status("*", "BYE", null, "Literal too large");
                    await FlushAsync(cancellationToken);
                    return false;
                }

                await FlushAsync(cancellationToken);
                return true;
            default:
                break;
        }

        var line = result.Line.ToArray();

        // SECURITY.md C04: a command flood is paced (delayed), never refused.
        await (Security?.PaceCommandAsync(cancellationToken) ?? Task.CompletedTask);
        try
        {
            return await DispatchAsync(line, result.Literal, cancellationToken);
        }
        catch (ImapCommandException e)
        {
            // A refusal while the command was still being read (a literal over the LITERAL- limit).
            Writer.Status(TagOf(new ReadOnlySequence<byte>(line)) ?? "*", e.Kind == RefusalKind.Bad ? "BAD" : "NO", e.Code, e.Message);
            await FlushAsync(cancellationToken);
            return !_closing;
        }
    }

    private async Task<bool> DispatchAsync(byte[] line, LiteralHeader? literal, CancellationToken cancellationToken)
    {
        var header = ParseHeader(line, out var tag, out var name, out var isUid, out var argsStart);
        if (header is not null)
        {
            await DiscardCommandAsync(literal, cancellationToken);
            Writer.Status(tag ?? "*", "BAD", null, header);
            await FlushAsync(cancellationToken);
            return true;
        }

        var definition = CommandTable.Find(name!);
        if (definition is not null && definition.Name == "APPEND" && (State & definition.States) != 0)
        {
            await RunAsync(definition, tag!, () => AppendCommand.StreamAsync(this, tag!, line, argsStart, literal, cancellationToken), cancellationToken);
            return !_closing;
        }

        var assembled = await AssembleAsync(line, literal, cancellationToken);
        if (assembled is null)
        {
            Security?.LimitHit(null, "literal-size");
            Writer.Status(tag!, "BAD", "TOOBIG", "Literal too large");
            await FlushAsync(cancellationToken);
            return true;
        }

        if (definition is null)
        {
            Writer.Status(tag!, "BAD", null, "Unknown command " + Sanitize(name!));
            await FlushAsync(cancellationToken);
            return true;
        }

        if ((State & definition.States) == 0)
        {
            Writer.Status(tag!, "BAD", null, $"{definition.Name} is not allowed in the {State} state");
            await FlushAsync(cancellationToken);
            return true;
        }

        var command = new ImapCommand(tag!, definition.Name, isUid, new ArgumentReader(assembled, argsStart));
        await RunAsync(definition, tag!, () => RunHandlerAsync(definition, command), cancellationToken, command);
        return !_closing;
    }

    private async Task RunHandlerAsync(CommandDefinition definition, ImapCommand command)
    {
        await definition.Handler(this, command);
        if (command.Answered)
        {
            return;
        }

        await DrainChangesAsync(CancellationToken.None);
        ReportChanges(allowExpunge: !definition.DefersExpunge);
        Writer.Status(command.Tag, "OK", command.OkCode, command.OkText ?? definition.Name + " completed");
    }

    /// <summary>The one place where failures become replies (STYLE.md): syntax → BAD, the user's mistake →
    /// NO [CODE], our bug → NO [SERVERBUG] and a log line with the stack.</summary>
    private async Task RunAsync(CommandDefinition definition, string tag, Func<Task> body, CancellationToken cancellationToken, ImapCommand? command = null)
    {
        try
        {
            await body();
        }
        catch (ImapCommandException e)
        {
            Writer.Status(tag, e.Kind == RefusalKind.Bad ? "BAD" : "NO", e.Code, e.Message);
        }
        catch (StoreException e)
        {
            Writer.Status(tag, "NO", CodeOf(e.Error), e.Message);
        }
        catch (Exception e) when (e is not (IOException or ConnectionIdleTimeoutException or OperationCanceledException))
        {
            Services.Logger.LogError(e, "imap {Session} {Command} failed", _transport.Id, definition.Name);
            Writer.Status(tag, "NO", "SERVERBUG", "Internal error; the command was not completed");
        }

        _ = command;
        await FlushAsync(cancellationToken);
    }

    public static string CodeOf(StoreError error) => error switch
    {
        StoreError.NotFound => "NONEXISTENT",
        StoreError.AlreadyExists => "ALREADYEXISTS",
        StoreError.InvalidName or StoreError.NotAllowed => "CANNOT",
        StoreError.OverQuota => "OVERQUOTA",
        StoreError.TooBig => "TOOBIG",
        StoreError.HasChildren => "HASCHILDREN",
        StoreError.TooComplex => "LIMIT",
        StoreError.Malformed => "PARSE",
        _ => "UNAVAILABLE",
    };

    /// <summary>Reads the rest of a command: each literal (after its continuation) and the line after it.
    /// Null when a literal is over <see cref="ImapServerOptions.MaxInlineLiteral"/> (already drained or refused).</summary>
    private async Task<byte[]?> AssembleAsync(byte[] first, LiteralHeader? literal, CancellationToken cancellationToken)
    {
        if (literal is null)
        {
            return first;
        }

        using var buffer = new MemoryStream();
        buffer.Write(first);
        while (literal is { } header)
        {
            if (header.Length > Services.Options.MaxInlineLiteral || buffer.Length + header.Length > Services.Options.MaxInlineLiteral * 4L)
            {
                await DiscardCommandAsync(header, cancellationToken);
                return null;
            }

            if (header.Synchronizing)
            {
                await ContinueAsync("Ready", cancellationToken);
            }

            buffer.Write("\r\n"u8);
            if (!await _reader.ReadLiteralAsync(buffer, cancellationToken))
            {
                throw new IOException("Connection closed inside a literal.");
            }

            var next = await ReadInCommandLineAsync(cancellationToken);
            if (next.Status != LineReadStatus.Line)
            {
                throw new IOException("Command ended abnormally after a literal.");
            }

            buffer.Write(next.Line.ToArray());
            literal = next.Literal;
        }

        return buffer.ToArray();
    }

    /// <summary>Drops the rest of a command we refuse: a synchronizing literal is refused (the client will not
    /// send it), a non-synchronizing one is read and thrown away, then the lines after it.</summary>
    public async Task DiscardCommandAsync(LiteralHeader? literal, CancellationToken cancellationToken)
    {
        while (literal is { } header)
        {
            if (header.Synchronizing)
            {
                _reader.RefuseLiteral();
                return;
            }

            if (!await _reader.ReadLiteralAsync(null, cancellationToken))
            {
                throw new IOException("Connection closed inside a literal.");
            }

            var next = await ReadInCommandLineAsync(cancellationToken);
            if (next.Status != LineReadStatus.Line)
            {
                throw new IOException("Command ended abnormally after a literal.");
            }

            literal = next.Literal;
        }
    }

    /// <summary>Splits <c>tag SP name [SP "UID" name]</c>; returns an error text or null.</summary>
    private static string? ParseHeader(byte[] line, out string? tag, out string? name, out bool isUid, out int argsStart)
    {
        tag = TagOf(new ReadOnlySequence<byte>(line));
        name = null;
        isUid = false;
        argsStart = 0;
        if (tag is null)
        {
            return "Missing or invalid tag";
        }

        var reader = new ArgumentReader(line, tag.Length);
        if (!reader.TrySpace())
        {
            return "Missing command";
        }

        var start = reader.Position;
        while (!reader.AtEnd && reader.Peek() is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '=' or '-' or '.')
        {
            reader.Position++;
        }

        if (reader.Position == start || (!reader.AtEnd && reader.Peek() != ' '))
        {
            return "Invalid command name";
        }

        name = Encoding.ASCII.GetString(line, start, reader.Position - start).ToUpperInvariant();
        if (name == "UID" && reader.TrySpace())
        {
            var second = reader.Position;
            while (!reader.AtEnd && reader.Peek() is >= 'A' and <= 'Z' or >= 'a' and <= 'z')
            {
                reader.Position++;
            }

            name = "UID " + Encoding.ASCII.GetString(line, second, reader.Position - second).ToUpperInvariant();
            isUid = true;
        }

        argsStart = reader.Position;
        return null;
    }

    /// <summary>RFC 9051 <c>tag</c>: 1*&lt;any ASTRING-CHAR except "+"&gt;, at most 64 octets here.</summary>
    private static string? TagOf(ReadOnlySequence<byte> line)
    {
        var span = line.Length > 80 ? line.Slice(0, 80).ToArray() : line.ToArray();
        var length = 0;
        while (length < span.Length && (ArgumentReader.IsAtomChar(span[length]) || span[length] == ']') && span[length] != '+' && span[length] < 0x80)
        {
            length++;
        }

        return length is > 0 and <= 64 ? Encoding.ASCII.GetString(span, 0, length) : null;
    }

    private static string Sanitize(string text) => text.Length > 40 ? text[..40] : text;
}
