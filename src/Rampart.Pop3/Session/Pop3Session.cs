using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Logging;
using Rampart.Net.Reading;
using Rampart.Pop3.Accounts;
using Rampart.Pop3.Maildrop;
using Rampart.Pop3.Protocol;
using Rampart.Security.Guard;
using Rampart.Security.Sasl;
using Rampart.Store;
using Rampart.Store.Model;

namespace Rampart.Pop3.Session;

/// <summary>
/// One POP3 session: reads command lines, checks them against the command table (state, TLS, limits), runs the
/// handler and maps every failure to a <c>-ERR</c> reply, so that no single command can end the session by
/// accident (RFC 1939 §3).
/// </summary>
public sealed class Pop3Session
{
    private static readonly byte[] CrlfBytes = "\r\n"u8.ToArray();
    private readonly ILogger _logger;
    private readonly LineReaderLimits _limits;
    private ProtocolReader _reader;
    private int _consecutiveErrors;

    public Pop3Session(Pop3Services services, IPop3Transport transport, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(logger);
        Services = services;
        Transport = transport;
        _logger = logger;
        // POP3 has no literals; a line ending in "{5}" is just text (RFC 1939 §3). The line limit is the
        // connection's; the 255-octet command limit is checked per command so that AUTH can be longer.
        _limits = new LineReaderLimits { DetectLiterals = false };
        _reader = new ProtocolReader(transport.Input, _limits);
        ApopTimestamp = services.Apop is null ? null : Rampart.Security.Credentials.ApopVerifier.CreateTimestamp(services.HostName);
    }

    public Pop3Services Services { get; }

    /// <summary>The connection's account security (guard, limits, audit); null when the server runs without it.</summary>
    internal Rampart.Security.Guard.ConnectionSecurity? Security { get; init; }

    public IPop3Transport Transport { get; }

    /// <summary>The state the session is in.</summary>
    public Pop3State State { get; private set; } = Pop3State.Authorization;

    /// <summary>The maildrop, in the TRANSACTION state.</summary>
    public MaildropSnapshot? Maildrop { get; private set; }

    /// <summary>The account logged in, in the TRANSACTION state.</summary>
    public string? AccountName { get; private set; }

    /// <summary>
    /// The APOP timestamp of this session's greeting (RFC 1939 §4, §7), or null when APOP is not offered. Fresh for
    /// every connection: 64 random bits and a process-wide counter (SECURITY.md A09).
    /// </summary>
    public string? ApopTimestamp { get; }

    /// <summary>The retention policy in force for the account logged in (its own or the server's), in TRANSACTION.</summary>
    public Pop3RetentionOptions? Retention { get; private set; }

    /// <summary>The name given by USER, waiting for PASS.</summary>
    internal string? PendingUser { get; set; }

    /// <summary>Set by the UTF8 command (RFC 6856 §2).</summary>
    internal bool Utf8Enabled { get; set; }

    /// <summary>Failed logins in this session.</summary>
    internal int AuthenticationFailures { get; private set; }

    /// <summary>Set by QUIT and by the limits: the session ends after the current reply.</summary>
    internal bool CloseRequested { get; set; }

    /// <summary>The line limit of the reader: the longest line this session ever buffers.</summary>
    public int MaxLineLength
    {
        get => _limits.MaxLineLength;
        init => _limits.MaxLineLength = value;
    }

    /// <summary>The SASL context of this connection (TLS state and channel binding as they are now).</summary>
    internal SaslContext SaslContext => Services.Sasl with
    {
        IsTls = Transport.IsTls,
        ChannelBinding = Transport.ChannelBinding,
        // SASL EXTERNAL: the TLS client certificate and the listener whose CA bundle judges it.
        ClientCertificate = Security?.ClientCertificate,
        ListenerName = Security?.ListenerName,
        RemoteAddress = Transport.RemoteAddress,
        // PLAIN and LOGIN then run the full login check (guard, app passwords, access rules, expiry).
        PasswordVerifier = Security?.Verifier ?? Services.Sasl.PasswordVerifier,
        // CRAM-MD5 (RFC 2195) is offered only when the admin turned legacy mechanisms on; each account still needs its secret.
        LegacySecrets = Services.LegacySecrets ?? Services.Sasl.LegacySecrets,
    };

    private PipeWriter Output => Transport.Output;

    /// <summary>Runs the session until QUIT, a limit, or the client leaves. A dropped session deletes nothing.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            // RFC 1939 §4: the greeting carries an APOP timestamp only when APOP is offered (legacy mechanisms on).
            await OkAsync(ApopTimestamp is null ? $"{Services.HostName} Rampart POP3 server ready" : $"{Services.HostName} Rampart POP3 server ready {ApopTimestamp}", cancellationToken);
            while (!CloseRequested)
            {
                var result = await _reader.ReadLineAsync(cancellationToken);
                switch (result.Status)
                {
                    case LineReadStatus.EndOfStream:
                        return;
                    case LineReadStatus.Line:
                        // SECURITY.md C04: a command flood is paced (delayed), never refused.
                        await (Security?.PaceCommandAsync(cancellationToken) ?? Task.CompletedTask);
                        await ExecuteLineAsync(result.Line, cancellationToken);
                        break;
                    default:
                        await RejectLineAsync(result.Status, cancellationToken);
                        break;
                }
            }
        }
        finally
        {
            if (Maildrop is { } maildrop)
            {
                Maildrop = null;
                await maildrop.DisposeAsync();
            }
        }
    }

    /// <summary>Writes <c>+OK text</c>.</summary>
    public ValueTask OkAsync(string text, CancellationToken cancellationToken)
    {
        _consecutiveErrors = 0;
        WriteText(text.Length == 0 ? "+OK" : "+OK " + text);
        return FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Writes <c>-ERR [code] text</c>. Too many errors in a row close the session (<see cref="Pop3Options.MaxConsecutiveErrors"/>).
    /// </summary>
    public ValueTask ErrAsync(string text, CancellationToken cancellationToken, string? code = null)
    {
        if (++_consecutiveErrors >= Services.Options.MaxConsecutiveErrors)
        {
            text += " (too many errors, closing)";
            CloseRequested = true;
        }

        WriteText(code is null ? "-ERR " + text : $"-ERR [{code}] {text}");
        return FlushAsync(cancellationToken);
    }

    /// <summary>Writes <c>+OK text</c> as the first line of a multi-line response; not flushed.</summary>
    public void BeginMultiLine(string text)
    {
        _consecutiveErrors = 0;
        WriteText("+OK " + text);
    }

    /// <summary>Writes one line of a multi-line response, byte-stuffed (RFC 1939 §3); not flushed.</summary>
    public void WriteDataLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        WriteText(line.StartsWith('.') ? "." + line : line);
    }

    /// <summary>Ends a multi-line response with ".CRLF" and flushes.</summary>
    public ValueTask EndMultiLineAsync(CancellationToken cancellationToken)
    {
        WriteText(".");
        return FlushAsync(cancellationToken);
    }

    /// <summary>Writes raw bytes (an encoded message chunk); not flushed.</summary>
    public IBufferWriter<byte> RawOutput => Output;

    /// <summary>Flushes the output, waiting while the client reads slower than we write.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken) => await Output.FlushAsync(cancellationToken);

    /// <summary>Reads one client line inside a SASL exchange (RFC 5034 §4): the line, or null for a line the
    /// reader refused (too long, NUL, bare LF), and whether the client left.</summary>
    internal ValueTask<SaslResponseLine> ReadSaslLineAsync(CancellationToken cancellationToken) =>
        SaslResponseLine.ReadAsync(_reader, cancellationToken);

    /// <summary>
    /// STLS: sends the go-ahead, drops every plaintext byte already received (RFC 2595 §4, SECURITY.md S01),
    /// runs the handshake and forgets what the client said before it (RFC 2595 §4: the client must discard
    /// what it learnt, and so does the server).
    /// </summary>
    internal async Task StartTlsAsync(CancellationToken cancellationToken)
    {
        WriteText("+OK Begin TLS negotiation");
        await Transport.StartTlsAsync(cancellationToken);
        _reader = new ProtocolReader(Transport.Input, _limits);
        PendingUser = null;
        Utf8Enabled = false;
    }

    /// <summary>Counts a failed login and answers with the one generic reply (SECURITY.md E01); closes after the limit.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <param name="malformed">For a malformed SASL exchange: the reply text, without the [AUTH] code (the
    /// credentials were not judged); it still counts as a failure.</param>
    internal ValueTask AuthenticationFailedAsync(CancellationToken cancellationToken, string? malformed = null)
    {
        PendingUser = null;
        if (++AuthenticationFailures >= Services.Options.MaxAuthenticationFailures)
        {
            CloseRequested = true;
        }

        return malformed is null
            ? ErrAsync("Authentication failed", cancellationToken, ResponseCode.Auth)
            : ErrAsync(malformed, cancellationToken);
    }

    /// <summary>
    /// After credentials were verified with <paramref name="mechanism"/> (<c>USER</c>, <c>APOP</c> or a SASL name): admits
    /// the account (<see cref="AdmitAsync"/>), then locks and opens the maildrop and enters TRANSACTION.
    /// </summary>
    internal async Task LoginAsync(string accountName, string mechanism, CancellationToken cancellationToken)
    {
        if (await AdmitAsync(accountName, mechanism, cancellationToken) is { } admitted)
        {
            await OpenMaildropAsync(admitted.Account, admitted.Settings, cancellationToken);
        }
    }

    /// <summary>
    /// The account's own POP3 rules, after its credentials were verified: a disabled account gets the generic failure;
    /// an account set to APOP gets the generic failure for USER/PASS (RFC 1939 §7: it uses APOP, so its password never
    /// crosses the wire); an account with POP3 switched off gets <c>-ERR [SYS/PERM]</c>. That last reply says more than
    /// the generic one, so it comes only now, to a client that proved the password (it tells an attacker nothing).
    /// Null when refused (already answered).
    /// </summary>
    internal async Task<(Account Account, Pop3AccountSettings Settings)?> AdmitAsync(string accountName, string mechanism, CancellationToken cancellationToken)
    {
        PendingUser = null;
        var account = await Services.Store.FindAccountAsync(accountName, cancellationToken);
        if (account is null || !account.Enabled)
        {
            // Deleted or disabled between the check and now.
            Security?.Failed(accountName, mechanism, "disabled");
            await AuthenticationFailedAsync(cancellationToken);
            return null;
        }

        var settings = await Pop3AccountSettings.ReadAsync(Services.Store, account.Id, cancellationToken);
        if (settings.Apop && Services.Apop is not null && mechanism == "USER")
        {
            Security?.Failed(accountName, mechanism, "apop-only");
            await AuthenticationFailedAsync(cancellationToken);
            return null;
        }

        if (!settings.Enabled)
        {
            Security?.Failed(accountName, mechanism, "pop3-disabled");
            await ErrAsync("POP3 is disabled for this account", cancellationToken, ResponseCode.SysPerm);
            return null;
        }

        return (account, settings);
    }

    /// <summary>
    /// Locks and opens the maildrop, then enters TRANSACTION. An account with another POP3 session open gets
    /// <c>[IN-USE]</c> and stays in AUTHORIZATION (RFC 2449 §8.1.1).
    /// </summary>
    private async Task OpenMaildropAsync(Account account, Pop3AccountSettings settings, CancellationToken cancellationToken)
    {
        var maildropLock = Services.Locks.TryAcquire(account.Id);
        if (maildropLock is null)
        {
            await ErrAsync("Maildrop is in use by another POP3 session", cancellationToken, ResponseCode.InUse);
            return;
        }

        Maildrop = await MaildropSnapshot.OpenAsync(Services.Store, account.Name, maildropLock, cancellationToken);
        AccountName = account.Name;
        Retention = settings.RetentionOver(Services.Options.Retention);
        State = Pop3State.Transaction;
        Transport.MarkAuthenticated();
        // RFC 1939 §3: the autologout timer is at least 10 minutes once logged in.
        Transport.IdleTimeout = Services.Options.AuthenticatedIdleTimeout;
        _logger.LogInformation("pop3 {Connection} login {Account} ({Messages} messages)", Transport.Id, account.Name, Maildrop.Messages.Count);
        await OkAsync($"Logged in, {Maildrop.Messages.Count} messages", cancellationToken);
    }

    /// <summary>Answers the account-security verdict on a USER/PASS or AUTH attempt, reports it (L01) and, on
    /// success, logs in. <c>attemptedUser</c> is the name as the client gave it, for the audit of a failure.</summary>
    internal async Task ConcludeAsync(LoginResult result, string mechanism, string? attemptedUser, CancellationToken cancellationToken)
    {
        var security = Security!;
        switch (result.Outcome)
        {
            case LoginOutcome.Success:
                // The account's POP3 rules come before the session is counted and the success reported.
                if (await AdmitAsync(result.AccountName!, mechanism, cancellationToken) is not { } admitted)
                {
                    return;
                }

                if (!security.TryStartSession(result))
                {
                    PendingUser = null;
                    security.Failed(result.AccountName, mechanism, "session-limit");
                    await ErrAsync("Too many sessions", cancellationToken, ResponseCode.SysTemp);
                    return;
                }

                security.Succeeded(result, mechanism);
                await OpenMaildropAsync(admitted.Account, admitted.Settings, cancellationToken);
                if (State != Pop3State.Transaction)
                {
                    // The maildrop was in use (or the account went away): no session was opened.
                    security.EndSession();
                }

                return;
            case LoginOutcome.Expired:
                security.Failed(result.AccountName ?? attemptedUser, mechanism, "expired");
                PendingUser = null;
                if (++AuthenticationFailures >= Services.Options.MaxAuthenticationFailures)
                {
                    CloseRequested = true;
                }

                await ErrAsync(LoginAuthenticator.ExpiredText, cancellationToken, ResponseCode.Auth);
                return;
            case LoginOutcome.Banned:
                // B03: the guard banned the client; the connection closes.
                security.Failed(attemptedUser, mechanism, "banned");
                CloseRequested = true;
                await AuthenticationFailedAsync(cancellationToken);
                return;
            default:
                security.Failed(attemptedUser, mechanism, Rampart.Security.Guard.ConnectionSecurity.ReasonOf(result));
                await AuthenticationFailedAsync(cancellationToken);
                return;
        }
    }

    /// <summary>QUIT in TRANSACTION: the UPDATE state (RFC 1939 §6).</summary>
    internal async Task<int> EnterUpdateAsync(CancellationToken cancellationToken)
    {
        State = Pop3State.Update;
        CloseRequested = true;
        return await Maildrop!.CommitAsync(Retention ?? Services.Options.Retention, Services.Time.GetUtcNow(), cancellationToken);
    }

    private async Task ExecuteLineAsync(ReadOnlySequence<byte> line, CancellationToken cancellationToken)
    {
        if (!Pop3CommandLine.TryParse(line, out var command, out var error))
        {
            await ErrAsync(error, cancellationToken);
            return;
        }

        // RFC 2449 §4: 255 octets for a command line; RFC 5034 §4 exempts AUTH, whose initial response is
        // bounded by the SASL response limit instead.
        var limit = command!.Keyword == "AUTH"
            ? SaslBase64.MaxEncodedLength(Services.Sasl.MaxResponseBytes) + 64
            : Services.Options.MaxCommandLength;
        if (line.Length > limit)
        {
            Security?.LimitHit(null, "line-length");
            await ErrAsync($"Command line too long (limit {limit} octets)", cancellationToken);
            return;
        }

        if (!Pop3CommandTable.Commands.TryGetValue(command.Keyword, out var definition))
        {
            await ErrAsync("Unknown command", cancellationToken);
            return;
        }

        if ((definition.States & State) == 0)
        {
            await ErrAsync($"{definition.Name} is not allowed in the {StateName} state", cancellationToken);
            return;
        }

        if (definition.RequiresTls && !Transport.IsTls)
        {
            // SECURITY.md A01/S04: no credentials in plaintext; nothing is checked.
            await ErrAsync(Transport.CanStartTls ? "Authentication requires TLS: use STLS first" : "Authentication requires TLS", cancellationToken);
            return;
        }

        try
        {
            await definition.Handler.ExecuteAsync(this, command, cancellationToken);
        }
        catch (StoreException e)
        {
            _logger.LogWarning("pop3 {Connection} {Command}: store refused: {Error} {Message}", Transport.Id, definition.Name, e.Error, e.Message);
            await ErrAsync(e.Error == StoreError.NotFound ? "Message is no longer available" : "Mail store error, try again later", cancellationToken, e.Error == StoreError.NotFound ? null : ResponseCode.SysTemp);
        }
        catch (Exception e) when (e is not OperationCanceledException and not IOException and not Net.Listeners.ConnectionIdleTimeoutException and not MultiLineAbortedException)
        {
            // Our bug: the client gets a temporary error, the log gets the stack, the session goes on.
            _logger.LogError(e, "pop3 {Connection} {Command} failed", Transport.Id, definition.Name);
            await ErrAsync("Internal server error", cancellationToken, ResponseCode.SysTemp);
        }
    }

    private async Task RejectLineAsync(LineReadStatus status, CancellationToken cancellationToken)
    {
        if (!await _reader.SkipLineAsync(cancellationToken))
        {
            CloseRequested = true;
            return;
        }

        if (status == LineReadStatus.LineTooLong)
        {
            Security?.LimitHit(null, "line-length");
        }

        await ErrAsync(
            status switch
            {
                LineReadStatus.LineTooLong => "Line too long",
                LineReadStatus.NulByte => "NUL is not allowed",
                LineReadStatus.BadLineEnding => "Lines must end with CRLF",
                _ => "Malformed command line",
            },
            cancellationToken);
    }

    private string StateName => State switch
    {
        Pop3State.Authorization => "AUTHORIZATION",
        Pop3State.Transaction => "TRANSACTION",
        _ => "UPDATE",
    };

    private void WriteText(string text)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var span = Output.GetSpan(max + 2);
        var written = Encoding.UTF8.GetBytes(text, span);
        CrlfBytes.CopyTo(span[written..]);
        Output.Advance(written + 2);
    }
}
