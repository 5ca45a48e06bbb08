namespace Rampart.Net.Options;

/// <summary>Limits that bound what one client, or all clients together, can make the server hold.</summary>
/// <remarks>Bound from configuration section <c>Limits</c>. Defaults follow SECURITY.md "limits".</remarks>
public sealed class ConnectionLimitOptions
{
    /// <summary>Connections not yet authenticated from one IP address (IPv6: one /64). Default 20: enough for a
    /// household behind one NAT, too few for one host to exhaust the server.</summary>
    public int MaxConnectionsPerIp { get; set; } = 20;

    /// <summary>All open connections on all listeners. Default 10 000: a file-descriptor and memory bound.</summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Idle time allowed before authentication. Default 60 s: a client that does not log in
    /// promptly is not one we should keep a socket for.</summary>
    public TimeSpan PreAuthIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest command line in bytes, without CRLF. Default 64 KiB: far above any real command
    /// (RFC 9051 §4 suggests at least 8000 octets), small enough to bound per-connection memory (M03).</summary>
    public int LineLengthLimit { get; set; } = 64 * 1024;

    /// <summary>Largest literal accepted before authentication. Default 4 KiB: enough for a SASL response or a
    /// LOGIN password, and RFC 7888 §4 LITERAL- sets the same bound for non-synchronizing literals.</summary>
    public long PreAuthLiteralLimit { get; set; } = 4 * 1024;

    /// <summary>Largest literal after authentication. Default 50 MB: the message size limit (APPEND).</summary>
    public long MaxLiteral { get; set; } = 50L * 1000 * 1000;

    /// <summary>Literals allowed in one command. Default 1000: a MULTIAPPEND or a long SEARCH rarely needs
    /// more, and 100k literals in one command is an attack (M02).</summary>
    public int MaxLiteralsPerCommand { get; set; } = 1000;

    /// <summary>Commands a session may send at full speed before pacing starts (SECURITY.md C04). Default 1000: a
    /// client syncing many folders right after login, or pipelining a large resync, never waits.</summary>
    public int CommandBurst { get; set; } = 1000;

    /// <summary>Commands a second a session is paced to once its burst is spent (SECURITY.md C04): further commands
    /// are delayed, never refused. Default 200, above what a busy mail client sustains (a benchmark client doing nothing
    /// but commands reached about 100 a second); 0 turns pacing off.</summary>
    public double CommandsPerSecond { get; set; } = 200;
}
