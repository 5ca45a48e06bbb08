using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Net.Access;
using Rampart.Net.Listeners;
using Rampart.Net.Options;
using Rampart.Net.Tls;
using Rampart.Security.Passwords;
using Rampart.Server.Accounts;
using Rampart.Store.Sqlite;

namespace Rampart.Imap.Tests.TestSupport;

/// <summary>A real IMAP server in the test process: a SQLite store in a temporary directory, the real handler,
/// and real listeners on 127.0.0.1 (implicit TLS and STARTTLS) with a generated certificate.</summary>
internal sealed class ImapTestServer : IAsyncDisposable
{
    private readonly List<Task> _sessions = [];
    private readonly CancellationTokenSource _stop = new();
    private ConnectionListener? _tls;
    private ConnectionListener? _startTls;
    private CertificateStore? _certificates;

    private ImapTestServer(string directory, SqliteMailStore store, AccountCredentials credentials, ImapConnectionHandler handler)
    {
        Directory = directory;
        Store = store;
        Credentials = credentials;
        Handler = handler;
    }

    public string Directory { get; }

    public SqliteMailStore Store { get; }

    public AccountCredentials Credentials { get; }

    public ImapConnectionHandler Handler { get; }

    /// <param name="options">The IMAP server's options.</param>
    /// <param name="changePoll">How often the store looks for changes another process made (default 50 ms).</param>
    public static async Task<ImapTestServer> StartAsync(ImapServerOptions? options = null, TimeSpan? changePoll = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "rampart-imap-" + Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(directory);
        var store = await SqliteMailStore.OpenAsync(new SqliteStoreOptions { DataDirectory = Path.Combine(directory, "data"), Durable = false, ChangePollInterval = changePoll ?? TimeSpan.FromMilliseconds(50) });
        // The cheapest Argon2 cost: the tests are about the protocol, not the hash.
        var hasher = new PasswordHasher(new Argon2Cost(Argon2Cost.MinMemoryKib, 1));
        var credentials = new AccountCredentials(store, hasher);
        var secret = new byte[32];
        var handler = new ImapConnectionHandler(store, credentials, hasher, secret, options);
        return new ImapTestServer(directory, store, credentials, handler);
    }

    public async Task AddUserAsync(string name, string password)
    {
        var account = await Store.CreateAccountAsync(name, [name + "@example.test"]);
        await Credentials.SetPasswordAsync(account, password, CancellationToken.None);
    }

    /// <summary>A session over an in-memory pipe, past the greeting and logged in (tag <c>a1</c>).</summary>
    public async Task<LineClient> LoginMemoryAsync(string user, string password)
    {
        var client = ConnectMemory();
        await client.ReadLineAsync();
        await client.SendAsync($"a1 LOGIN {user} {password}\r\n");
        var reply = await client.ReadLineAsync();
        if (reply is null || !reply.StartsWith("a1 OK", StringComparison.Ordinal))
        {
            await client.DisposeAsync();
            throw new InvalidOperationException("LOGIN failed: " + reply);
        }

        return client;
    }

    /// <summary>A session over an in-memory pipe.</summary>
    public LineClient ConnectMemory()
    {
        var transport = new MemoryTransport();
        _sessions.Add(Task.Run(async () =>
        {
            await Handler.RunAsync(transport, _stop.Token);
            await transport.Output.CompleteAsync();
        }));
        return new LineClient(transport.ClientStream());
    }

    /// <summary>A session over TCP and implicit TLS (imaps).</summary>
    public async Task<LineClient> ConnectTlsAsync()
    {
        _tls ??= StartListener("imaps-test", TlsMode.Implicit);
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _tls.LocalEndPoint!.Port);
        var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", ApplicationProtocols = [new SslApplicationProtocol("imap")] });
        return new LineClient(ssl);
    }

    /// <summary>The implicit-TLS listener's port (started on first use).</summary>
    public Task<int> TlsPortAsync()
    {
        _tls ??= StartListener("imaps-test", TlsMode.Implicit);
        return Task.FromResult(_tls.LocalEndPoint!.Port);
    }

    /// <summary>A session over plaintext TCP with STARTTLS available (the "imap" listener).</summary>
    public async Task<LineClient> ConnectStartTlsAsync()
    {
        _startTls ??= StartListener("imap-test", TlsMode.StartTls);
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _startTls.LocalEndPoint!.Port);
        return new LineClient(client.GetStream());
    }

    private ConnectionListener StartListener(string name, TlsMode mode)
    {
        _certificates ??= new CertificateStore(new TlsOptions(), Path.Combine(Directory, "tls"), "localhost", NullLogger.Instance);
        var limits = new ConnectionLimitOptions();
        var listener = new ConnectionListener(
            name,
            new ListenerOptions { Endpoint = "127.0.0.1:0", Tls = mode, Alpn = "imap" },
            new ConnectionGate(new AccessOptions(), limits),
            new TlsServer(_certificates, new TlsOptions()),
            Handler,
            NullLogger.Instance);
        listener.Start();
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_tls is not null)
        {
            await _tls.DisposeAsync();
        }

        if (_startTls is not null)
        {
            await _startTls.DisposeAsync();
        }

        try
        {
            await Task.WhenAll(_sessions).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
        }

        _certificates?.Dispose();
        await Store.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }

        _stop.Dispose();
    }
}
