using System.Net;

namespace Rampart.Net.Proxy;

/// <summary>What a PROXY protocol v2 header said about the original connection.</summary>
/// <param name="IsLocal">True for the LOCAL command (the proxy's own health check): the socket addresses apply.</param>
/// <param name="Source">The original client, when the header carried TCP over IPv4/IPv6.</param>
/// <param name="Destination">The address the client connected to, when carried.</param>
public sealed record ProxyHeader(bool IsLocal, IPEndPoint? Source, IPEndPoint? Destination);
