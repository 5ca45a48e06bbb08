namespace Rampart.Net.Access;

/// <summary>Why a connection was closed before it reached a protocol.</summary>
public enum ConnectionRefusal
{
    /// <summary>The address is in the deny list, or not in a non-empty allow list.</summary>
    AccessDenied,

    /// <summary>A trusted proxy sent a missing, malformed or too-slow PROXY v2 header.</summary>
    BadProxyHeader,

    /// <summary>The client already holds <c>MaxConnectionsPerIp</c> unauthenticated connections.</summary>
    PerIpLimit,

    /// <summary>The server already holds <c>MaxConnections</c> connections.</summary>
    TotalLimit,

    /// <summary>The address is banned by the authentication guard (automatically or with <c>rampart ban add</c>),
    /// told apart from <see cref="AccessDenied"/> so that metrics and the audit log show bans as bans.</summary>
    Banned,
}
