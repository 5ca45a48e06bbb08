using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Rampart.Monitoring;
using Rampart.Monitoring.Events;
using Rampart.Monitoring.Sessions;

namespace Rampart.Server.Monitoring;

/// <summary>
/// The local control channel of a running server: a Unix domain socket <c>DATA/control.sock</c> (mode 0600, in a
/// 0700 directory: only the server's own user can connect) through which <c>rampart sessions list|kill</c> reach
/// the live session registry. Line protocol, one request per connection:
/// <list type="bullet">
/// <item><c>LIST</c> or <c>LIST USER</c> → one JSON object per session, then <c>OK N</c>;</item>
/// <item><c>KILL ID</c> → <c>OK 1</c> or <c>ERR no such session</c>;</item>
/// <item><c>KILLUSER USER</c> → <c>OK N</c>;</item>
/// <item><c>CHANGED SETTING DETAIL</c> → <c>OK 1</c>: a CLI verb changed <c>SETTING</c> (one of
/// <see cref="ChangeableSettings"/>) while the server runs; audited as a configuration change (SECURITY.md L03);</item>
/// <item>anything else → <c>ERR unknown request</c>.</item>
/// </list>
/// </summary>
public sealed class ControlChannel : IAsyncDisposable
{
    /// <summary>The socket's file name in the data directory.</summary>
    public const string SocketFileName = "control.sock";

    /// <summary>Longest request line, in bytes. 1 KiB: a verb and an account name or session id.</summary>
    public const int MaxRequestBytes = 1024;

    /// <summary>What <c>CHANGED</c> may name: the settings CLI verbs change under a running server.</summary>
    public static readonly IReadOnlySet<string> ChangeableSettings = new HashSet<string>(["Guard:Bans", "Guard:Access", "Account:Access"], StringComparer.Ordinal);

    /// <summary>Clients served at once; more are closed at once. 4: it is an admin tool, not a service.</summary>
    public const int MaxClients = 4;

    /// <summary>Time a client has to send its request. 5 s: a local tool sends it immediately.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly string path;
    private readonly SecurityMonitor monitor;
    private readonly ILogger logger;
    private readonly SemaphoreSlim slots = new(MaxClients, MaxClients);
    private readonly CancellationTokenSource stopping = new();
    private Socket? listener;
    private Task? acceptLoop;

    public ControlChannel(string dataDirectory, SecurityMonitor monitor, ILogger logger)
    {
        path = System.IO.Path.Combine(dataDirectory, SocketFileName);
        this.monitor = monitor;
        this.logger = logger;
    }

    /// <summary>The socket path.</summary>
    public string Path => path;

    /// <summary>Binds the socket. A stale socket file from a crashed server is replaced; a live one (another server on
    /// the same data directory) is an error.</summary>
    public void Start()
    {
        if (File.Exists(path))
        {
            if (ControlClient.IsListening(path))
            {
                throw new IOException($"another rampart server is running on this data directory ({path} answers)");
            }

            File.Delete(path);
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            socket.Listen(16);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        listener = socket;
        acceptLoop = Task.Run(AcceptLoopAsync);
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener!.AcceptAsync(stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                break;
            }

            if (!slots.Wait(0))
            {
                client.Dispose();
                continue;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await ServeAsync(client);
                }
#pragma warning disable CA1031 // One bad client must not end the channel.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    logger.LogDebug(e, "control client failed");
                }
                finally
                {
                    client.Dispose();
                    slots.Release();
                }
            });
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        timeout.CancelAfter(RequestTimeout);
        await using var stream = new NetworkStream(client, ownsSocket: false);
        var request = await ReadLineAsync(stream, timeout.Token);
        var response = request is null ? "ERR request too long or incomplete\n" : Handle(request);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(response), timeout.Token);

        // Closing with unread input would reset the connection and could lose the answer; read (and drop) what the
        // client still sends, a bounded amount, until it closes its side.
        client.Shutdown(SocketShutdown.Send);
        var sink = new byte[4096];
        for (var drained = 0; drained < 64 * 1024;)
        {
            var read = await stream.ReadAsync(sink, timeout.Token);
            if (read == 0)
            {
                break;
            }

            drained += read;
        }
    }

    /// <summary>Answers one request line.</summary>
    internal string Handle(string request)
    {
        var space = request.IndexOf(' ', StringComparison.Ordinal);
        var verb = space < 0 ? request : request[..space];
        var argument = space < 0 ? null : request[(space + 1)..].Trim();
        switch (verb.ToUpperInvariant())
        {
            case "LIST":
                var text = new StringBuilder();
                var sessions = monitor.Sessions.List(string.IsNullOrEmpty(argument) ? null : argument);
                foreach (var session in sessions)
                {
                    text.Append(JsonSerializer.Serialize(ToJson(session))).Append('\n');
                }

                return text.Append(CultureInfo.InvariantCulture, $"OK {sessions.Count}\n").ToString();
            case "KILL" when !string.IsNullOrEmpty(argument):
                if (!monitor.Sessions.Kill(argument))
                {
                    return "ERR no such session\n";
                }

                monitor.Events.Raise(new AdminAction { Protocol = "cli", Action = "sessions.kill", Target = argument });
                return "OK 1\n";
            case "KILLUSER" when !string.IsNullOrEmpty(argument):
                var count = monitor.Sessions.KillUser(argument);
                monitor.Events.Raise(new AdminAction { Protocol = "cli", Action = "sessions.kill-user", Target = argument, Reason = count.ToString(CultureInfo.InvariantCulture) });
                return string.Create(CultureInfo.InvariantCulture, $"OK {count}\n");
            case "CHANGED" when !string.IsNullOrEmpty(argument):
                var split = argument.IndexOf(' ', StringComparison.Ordinal);
                var setting = split < 0 ? argument : argument[..split];
                if (!ChangeableSettings.Contains(setting))
                {
                    return "ERR unknown setting\n";
                }

                monitor.Events.Raise(new ConfigurationChanged { Protocol = "cli", Setting = setting, Reason = split < 0 ? null : argument[(split + 1)..] });
                return "OK 1\n";
            case "UNBANNED" when !string.IsNullOrEmpty(argument):
                // Issue 7: `rampart ban remove` lifts the ban in the shared file; the running server writes the audit line.
                if (!System.Net.IPNetwork.TryParse(argument, out var lifted))
                {
                    return "ERR not a network\n";
                }

                monitor.Events.Raise(new Unbanned { Protocol = "cli", Network = lifted.ToString(), ClientIp = lifted.BaseAddress, Reason = "ban remove" });
                return "OK 1\n";
            case "CREDENTIAL" when !string.IsNullOrEmpty(argument):
                return CliCredentialChange.TryParse(argument, out var change) ? Raise(change) : "ERR bad credential change\n";
            default:
                return "ERR unknown request\n";
        }
    }

    private string Raise(SecurityEvent securityEvent)
    {
        monitor.Events.Raise(securityEvent);
        return "OK 1\n";
    }

    internal static Dictionary<string, object?> ToJson(SessionInfo session) => new()
    {
        ["id"] = session.Id,
        ["protocol"] = session.Protocol,
        ["listener"] = session.Listener,
        ["ip"] = session.ClientIp?.ToString(),
        ["since"] = session.Since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["tls"] = session.TlsVersion,
        ["user"] = session.User,
        ["clientId"] = session.ClientId,
        ["bytesIn"] = session.BytesIn,
        ["bytesOut"] = session.BytesOut,
    };

    /// <summary>Reads one LF-terminated UTF-8 line of at most <see cref="MaxRequestBytes"/>; null when longer, invalid
    /// or closed early.</summary>
    private static async Task<string?> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestBytes + 1];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return null;
            }

            var newline = Array.IndexOf(buffer, (byte)'\n', length, read);
            length += read;
            if (newline >= 0)
            {
                var end = newline > 0 && buffer[newline - 1] == '\r' ? newline - 1 : newline;
                try
                {
                    return new UTF8Encoding(false, true).GetString(buffer, 0, end);
                }
                catch (DecoderFallbackException)
                {
                    return null;
                }
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener?.Dispose();
        if (acceptLoop is not null)
        {
            await acceptLoop;
        }

        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }

        stopping.Dispose();
    }
}
