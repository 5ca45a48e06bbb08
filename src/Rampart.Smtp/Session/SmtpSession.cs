using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Rampart.Monitoring.Events;
using Rampart.Net.Listeners;
using Rampart.Net.Options;
using Rampart.Net.Reading;
using Rampart.Security.Guard;
using Rampart.Security.Sasl;
using Rampart.Smtp.Protocol;
using Rampart.Store;
using Rampart.Store.Model;

namespace Rampart.Smtp.Session;

/// <summary>
/// One SMTP, submission or LMTP session: reads command lines, checks them against the command table, runs the
/// handler and maps every failure to a reply, so that no single command ends the session by accident.
/// </summary>
/// <remarks>RFC 5321 §4.1.4 (command order), §4.3.2 (replies), RFC 2920 (replies flushed when the client waits),
/// RFC 2033 (LMTP). Too many rejected commands close the session with 421 (<see cref="SmtpOptions.MaxErrors"/>).</remarks>
public sealed class SmtpSession
{
    private readonly ILogger _logger;
    private readonly LineReaderLimits _limits;
    private ProtocolReader _input;
    private int _errors;

    /// <summary>Creates the session for one connection.</summary>
    public SmtpSession(SmtpServices services, Connection connection, SmtpMode mode, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(logger);
        Services = services;
        Connection = connection;
        Mode = mode;
        _logger = logger;
        // SMTP has no literals, and bare LF is not a line end (RFC 5321 §2.3.8). The reader's limit is the
        // connection's; the command limit is checked per command so that AUTH may be longer.
        _limits = new LineReaderLimits { DetectLiterals = false, MaxLineLength = services.LineLengthLimit };
        _input = NewReader(connection.Input);
    }

    public SmtpServices Services { get; }

    public Connection Connection { get; }

    /// <summary>Inbound, submission or LMTP.</summary>
    public SmtpMode Mode { get; }

    /// <summary>The connection's account security (guard, limits, audit); null when the server runs without it.</summary>
    internal ConnectionSecurity? Security { get; init; }

    /// <summary>Where a session without <see cref="Security"/> (inbound port 25 and LMTP, which take no AUTH) reports
    /// its limit hits, so that they are audited like submission's (issue 7); null to report nothing.</summary>
    internal ISecurityEvents? Events { get; init; }

    /// <summary>Reports that <paramref name="limit"/> refused something in this session: through <see cref="Security"/>
    /// on submission, else as a <see cref="Rampart.Monitoring.Events.LimitHit"/> event carrying this connection's facts.</summary>
    internal void LimitHit(string? user, string limit)
    {
        if (Security is not null)
        {
            Security.LimitHit(user, limit);
            return;
        }

        Events?.Raise(new Rampart.Monitoring.Events.LimitHit
        {
            User = user,
            Limit = limit,
            Reason = limit,
            Protocol = Mode == SmtpMode.Lmtp ? "lmtp" : "smtp",
            Listener = Connection.ListenerName,
            Port = Connection.LocalEndPoint.Port,
            SessionId = Connection.Id,
            ClientIp = Connection.RemoteEndPoint.Address,
        });
    }

    /// <summary>Command pacing for a session without <see cref="Security"/> (inbound port 25, which takes no AUTH):
    /// SECURITY.md C04 holds there too. Null for LMTP, whose client is the trusted local MTA.</summary>
    internal CommandPacer? Pacer { get; init; }

    /// <summary>The validated HELO/EHLO/LHLO argument; null before the client greeted.</summary>
    public string? HeloName { get; internal set; }

    /// <summary>Whether the client greeted with EHLO or LHLO (extensions and enhanced status codes are on).</summary>
    public bool Extended { get; internal set; }

    /// <summary>The account that logged in with AUTH (submission only).</summary>
    public Account? Account { get; internal set; }

    /// <summary>The transaction MAIL opened, until DATA/BDAT LAST or RSET ends it.</summary>
    internal MailTransaction? Transaction { get; private set; }

    /// <summary>Set by QUIT and the limits: the session ends after the current reply.</summary>
    internal bool CloseRequested { get; set; }

    /// <summary>Failed AUTH attempts in this session.</summary>
    internal int AuthenticationFailures { get; private set; }

    /// <summary>Whether STARTTLS can be offered now.</summary>
    public bool CanStartTls => !Connection.IsTls && Connection.TlsMode == TlsMode.StartTls;

    /// <summary>The SASL context of this connection (TLS state and channel binding as they are now).</summary>
    internal SaslContext SaslContext => Services.Sasl with
    {
        IsTls = Connection.IsTls,
        ChannelBinding = Connection.ChannelBindingServerEndPoint,
        RemoteAddress = Connection.RemoteEndPoint.Address,
        // SASL EXTERNAL: the TLS client certificate and the listener whose CA bundle judges it.
        ClientCertificate = Security?.ClientCertificate,
        ListenerName = Security?.ListenerName,
        PasswordVerifier = Security?.Verifier ?? Services.Sasl.PasswordVerifier,
    };

    /// <summary>A short id for logs and Received fields.</summary>
    public string Id => Connection.Id;

    private PipeWriter Output => Connection.Output;

    /// <summary>Runs the session until QUIT, a limit, or the client leaves.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            // RFC 5321 §4.5.3.2.7: at least 5 minutes for the next command. Submission keeps the shorter
            // pre-authentication timeout until AUTH (SECURITY.md "limits").
            if (Mode != SmtpMode.Submission)
            {
                Connection.IdleTimeout = Services.Options.IdleTimeout;
            }

            var kind = Mode == SmtpMode.Lmtp ? "LMTP" : "ESMTP";
            Reply(220, null, $"{Services.HostName} {kind} Rampart ready");
            while (!CloseRequested)
            {
                var result = await _input.ReadLineAsync(cancellationToken);
                switch (result.Status)
                {
                    case LineReadStatus.EndOfStream:
                        return;
                    case LineReadStatus.Line:
                        // SECURITY.md C04: a command flood is paced (delayed), never refused.
                        await (Security?.PaceCommandAsync(cancellationToken) ?? Pacer?.PaceAsync(cancellationToken) ?? Task.CompletedTask);
                        await ExecuteLineAsync(result.Line, cancellationToken);
                        break;
                    default:
                        await RejectLineAsync(result.Status, cancellationToken);
                        break;
                }
            }

            await FlushAsync(cancellationToken);
        }
        finally
        {
            await EndTransactionAsync();
        }
    }

    /// <summary>Writes a one-line reply (sent when the client next waits). The enhanced code is sent only after
    /// EHLO/LHLO (RFC 2034 §4). Syntax and sequence errors (500–504) count towards <see cref="SmtpOptions.MaxErrors"/>.</summary>
    public void Reply(int code, string? enhanced, string text)
    {
        if (code is >= 500 and <= 504)
        {
            CountError();
        }

        SmtpReply.Write(Output, code, Extended ? enhanced : null, text);
    }

    /// <summary>Writes one line of a multi-line reply; <paramref name="last"/> for the final one.</summary>
    public void ReplyLine(int code, string? enhanced, string text, bool last) =>
        SmtpReply.Write(Output, code, Extended ? enhanced : null, text, last);

    /// <summary>Counts a rejected command; at the limit the session closes with 421 4.7.0.</summary>
    internal void CountError()
    {
        if (++_errors == Services.Options.MaxErrors)
        {
            CloseRequested = true;
        }
    }

    /// <summary>Sends what is buffered.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken) => await Output.FlushAsync(cancellationToken);

    /// <summary>Opens a transaction (MAIL).</summary>
    internal async ValueTask BeginTransactionAsync(MailTransaction transaction)
    {
        await EndTransactionAsync();
        Transaction = transaction;
    }

    /// <summary>Ends the transaction, deleting any spooled chunks (RSET, after DATA, HELO/EHLO, STARTTLS).</summary>
    internal async ValueTask EndTransactionAsync()
    {
        if (Transaction is { } transaction)
        {
            Transaction = null;
            await transaction.DisposeAsync();
        }
    }

    /// <summary>Streams DATA content into <paramref name="destination"/> (or nowhere); false when the client left.</summary>
    internal ValueTask<bool> ReadDataAsync(DataDecoder decoder, Stream? destination, CancellationToken cancellationToken) =>
        _input.ReadDataAsync(decoder, destination, cancellationToken);

    /// <summary>Reads one BDAT chunk; false when the client left.</summary>
    internal ValueTask<bool> ReadChunkAsync(long length, ChunkInspector inspector, Stream? destination, CancellationToken cancellationToken) =>
        _input.ReadChunkAsync(length, inspector, destination, cancellationToken);

    /// <summary>Reads one client line inside a SASL exchange: the line, or null for one the reader refused, and whether the client left.</summary>
    internal ValueTask<SaslResponseLine> ReadSaslLineAsync(CancellationToken cancellationToken) =>
        SaslResponseLine.ReadAsync(_input, cancellationToken);

    /// <summary>
    /// STARTTLS: sends 220, drops every plaintext byte already received (SECURITY.md S01; RFC 3207 §4.2 forbids
    /// acting on them), runs the handshake, and forgets everything the client said before (RFC 3207 §4.2: back to
    /// the state after the greeting, EHLO needed again).
    /// </summary>
    internal async Task StartTlsAsync(CancellationToken cancellationToken)
    {
        Reply(220, "2.0.0", "Ready to start TLS");
        await Connection.StartTlsAsync(cancellationToken);
        _input = NewReader(Connection.Input);
        await EndTransactionAsync();
        HeloName = null;
        Extended = false;
    }

    /// <summary>Counts a failed AUTH and sends the generic failure (SECURITY.md E01); closes after the limit.</summary>
    internal void AuthenticationFailed(string? malformed = null)
    {
        if (++AuthenticationFailures >= Services.Options.MaxAuthenticationFailures)
        {
            CloseRequested = true;
        }

        if (malformed is null)
        {
            // RFC 4954 §6: 535 5.7.8 for bad credentials, whatever the reason.
            Reply(535, "5.7.8", "Authentication credentials invalid");
        }
        else
        {
            Reply(501, "5.5.2", malformed);
        }
    }

    /// <summary>After credentials were verified: the session is authenticated (RFC 4954 §4 235 2.7.0).</summary>
    internal async Task LoginAsync(string accountName, CancellationToken cancellationToken)
    {
        var account = await Services.Store.FindAccountAsync(accountName, cancellationToken);
        if (account is null || !account.Enabled)
        {
            AuthenticationFailed();
            return;
        }

        Account = account;
        Connection.MarkAuthenticated();
        Connection.IdleTimeout = Services.Options.IdleTimeout;
        _logger.LogInformation("smtp {Connection} login {Account}", Id, account.Name);
        Reply(235, "2.7.0", "Authentication successful");
    }

    /// <summary>Answers the account-security verdict on AUTH, reports it (L01) and, on success, logs in.</summary>
    internal async Task ConcludeAsync(LoginResult result, string mechanism, string? attemptedUser, CancellationToken cancellationToken)
    {
        var security = Security!;
        switch (result.Outcome)
        {
            case LoginOutcome.Success:
                if (!security.TryStartSession(result))
                {
                    security.Failed(result.AccountName, mechanism, "session-limit");
                    Reply(454, "4.7.0", "Too many sessions, try again later");
                    return;
                }

                security.Succeeded(result, mechanism);
                await LoginAsync(result.AccountName!, cancellationToken);
                if (Account is null)
                {
                    security.EndSession();
                }

                return;
            case LoginOutcome.Banned:
                security.Failed(attemptedUser, mechanism, "banned");
                CloseRequested = true;
                AuthenticationFailed();
                return;
            default:
                // An expired password is a failure too; the client only sees the generic reply (E01).
                security.Failed(result.Outcome == LoginOutcome.Expired ? result.AccountName ?? attemptedUser : attemptedUser, mechanism, result.Outcome == LoginOutcome.Expired ? "expired" : ConnectionSecurity.ReasonOf(result));
                AuthenticationFailed();
                return;
        }
    }

    /// <summary>A reader over <paramref name="input"/> that flushes the buffered replies whenever it is about to wait for
    /// the client (PIPELINING, RFC 2920 §3.2). After STARTTLS a new one reads the TLS input.</summary>
    private ProtocolReader NewReader(PipeReader input) => new(input, _limits) { BeforeWait = FlushAsync };

    private async Task ExecuteLineAsync(ReadOnlySequence<byte> line, CancellationToken cancellationToken)
    {
        if (!SmtpCommandLine.TryParse(line, out var command, out var error))
        {
            Reply(500, "5.5.2", error);
            await CloseIfOverLimitAsync(cancellationToken);
            return;
        }

        // RFC 4954 §4: an AUTH line with its initial response may exceed the command limit, up to the SASL bound.
        var limit = command!.Verb == "AUTH"
            ? SaslBase64.MaxEncodedLength(Services.Sasl.MaxResponseBytes) + 64
            : Services.Options.MaxCommandLength;
        if (line.Length > limit)
        {
            LimitHit(Account?.Name, "line-length");
            Reply(500, "5.5.2", "Line too long");
        }
        else if (!SmtpCommandTable.Commands.TryGetValue(command.Verb, out var definition) || (definition.Modes & Mode) == 0)
        {
            Reply(500, "5.5.1", "Command unrecognized");
        }
        else
        {
            try
            {
                await definition.Handler.ExecuteAsync(this, command, cancellationToken);
            }
            catch (StoreException e)
            {
                _logger.LogWarning("smtp {Connection} {Command}: store refused: {Error} {Message}", Id, definition.Name, e.Error, e.Message);
                Reply(451, "4.3.0", "Mail store error, try again later");
            }
            catch (Exception e) when (e is not OperationCanceledException and not IOException and not ConnectionIdleTimeoutException and not Net.Tls.TlsHandshakeException)
            {
                // Our bug: a temporary error for the client, the stack for the log, the session goes on.
                _logger.LogError(e, "smtp {Connection} {Command} failed", Id, definition.Name);
                await EndTransactionAsync();
                Reply(451, "4.3.0", "Internal server error, try again later");
            }
        }

        await CloseIfOverLimitAsync(cancellationToken);
    }

    private async Task RejectLineAsync(LineReadStatus status, CancellationToken cancellationToken)
    {
        if (!await _input.SkipLineAsync(cancellationToken))
        {
            CloseRequested = true;
            return;
        }

        if (status == LineReadStatus.LineTooLong)
        {
            LimitHit(Account?.Name, "line-length");
        }

        Reply(500, "5.5.2", status switch
        {
            LineReadStatus.LineTooLong => "Line too long",
            LineReadStatus.NulByte => "NUL is not allowed",
            LineReadStatus.BadLineEnding => "Lines must end with CRLF",
            _ => "Malformed command line",
        });
        await CloseIfOverLimitAsync(cancellationToken);
    }

    private async ValueTask CloseIfOverLimitAsync(CancellationToken cancellationToken)
    {
        if (CloseRequested && _errors >= Services.Options.MaxErrors)
        {
            // RFC 5321 §3.8: 421 before closing on the client's misbehaviour.
            SmtpReply.Write(Output, 421, Extended ? "4.7.0" : null, $"{Services.HostName} Too many errors, closing connection");
            await FlushAsync(cancellationToken);
        }
    }
}
