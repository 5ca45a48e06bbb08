using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Rampart.Imap;
using Rampart.Imap.Session;
using Rampart.Store.Sqlite;

namespace Rampart.Fuzz.Support;

/// <summary>
/// A real IMAP server for the <c>imap-command</c> target: a SQLite store in a temporary folder (one per process,
/// deleted at exit) holding <c>alice</c> with a few messages and folders, the real <see cref="ImapConnectionHandler"/>,
/// and in-memory sessions. Errors the session logs (its <c>NO [SERVERBUG]</c> path) are kept for the target to report.
/// </summary>
internal sealed class FuzzImapServer : ILoggerFactory, ILogger
{
    private static readonly Lazy<FuzzImapServer> Shared = new(() => new FuzzImapServer());

    private readonly ImapConnectionHandler _handler;

    private FuzzImapServer()
    {
        var directory = Directory.CreateTempSubdirectory("rampart-fuzz-imap-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        var store = SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = directory, Durable = false }).GetAwaiter().GetResult();
        store.CreateAccountAsync(FuzzAccounts.UserName, [FuzzAccounts.UserName + "@example.test"]).GetAwaiter().GetResult();
        var accounts = FuzzAccounts.Instance;
        _handler = new ImapConnectionHandler(store, accounts, accounts.Hasher, new byte[32], new ImapServerOptions(), this);

        // The mailbox content, put there through the protocol itself.
        const string Message = "From: Bob <bob@example.test>\r\nTo: alice@example.test\r\nSubject: hello\r\nMessage-ID: <1@example.test>\r\n"
            + "Date: Mon, 7 Feb 1994 21:52:25 -0800\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
            + "Hello Alice\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAECAw==\r\n--b--\r\n";
        var setup = new StringBuilder("s0 LOGIN alice secret\r\ns1 CREATE Work\r\ns2 CREATE Archive/2024\r\n");
        for (var i = 0; i < 3; i++)
        {
            setup.Append(CultureInfo.InvariantCulture, $"s{i + 3} APPEND INBOX (\\Seen) {{{Message.Length}+}}\r\n{Message}\r\n");
        }

        setup.Append("s9 LOGOUT\r\n");
        var output = Session(Encoding.ASCII.GetBytes(setup.ToString()));
        if (!output.Contains("s5 OK", StringComparison.Ordinal) || LastError is not null)
        {
            throw new InvalidOperationException("The fuzz IMAP store could not be set up:\n" + output + LastError);
        }
    }

    public static FuzzImapServer Instance => Shared.Value;

    /// <summary>The last error a session logged, cleared by <see cref="Session"/>.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Runs one session that reads <paramref name="input"/> and then sees the client close; returns what it wrote.</summary>
    public string Session(byte[] input)
    {
        LastError = null;
        using var output = new MemoryStream();
        var transport = new Transport(PipeReader.Create(new MemoryStream(input)), PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        _handler.RunAsync(transport, timeout.Token).GetAwaiter().GetResult();
        InvariantViolationException.Check(!timeout.IsCancellationRequested, "The session did not end within 30 s of the client closing.");
        transport.Output.Complete();
        return Encoding.UTF8.GetString(output.ToArray());
    }

    ILogger ILoggerFactory.CreateLogger(string categoryName) => this;

    void ILoggerFactory.AddProvider(ILoggerProvider provider)
    {
    }

    void IDisposable.Dispose()
    {
    }

    IDisposable? ILogger.BeginScope<TState>(TState state) => null;

    bool ILogger.IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

    void ILogger.Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel >= LogLevel.Error)
        {
            LastError = new InvalidOperationException(formatter(state, exception), exception);
        }
    }

    /// <summary>An in-memory connection: already inside TLS (as on imaps), from loopback.</summary>
    private sealed class Transport(PipeReader input, PipeWriter output) : ISessionTransport
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;

        public bool IsTls => true;

        public bool CanStartTls => false;

        public byte[]? ChannelBinding => null;

        public IPAddress? RemoteAddress => IPAddress.Loopback;

        public string Id => "fuzz";

        public TimeSpan IdleTimeout { get; set; }

        public Task StartTlsAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("No TLS in memory.");

        public void MarkAuthenticated()
        {
        }
    }
}
