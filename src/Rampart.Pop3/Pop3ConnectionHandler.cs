using Microsoft.Extensions.Logging;
using Rampart.Net.Listeners;
using Rampart.Pop3.Session;

namespace Rampart.Pop3;

/// <summary>Serves the <c>pop3s</c> (implicit TLS, RFC 8314) and <c>pop3</c> (STLS, RFC 2595) listeners.</summary>
public sealed class Pop3ConnectionHandler : IConnectionHandler
{
    private readonly ILogger _logger;

    public Pop3ConnectionHandler(Pop3Services services, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(logger);
        Services = services;
        _logger = logger;
    }

    /// <summary>The services the sessions share.</summary>
    public Pop3Services Services { get; }

    public async Task HandleAsync(Connection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var session = new Pop3Session(Services, new ConnectionTransport(connection), _logger)
        {
            MaxLineLength = Services.LineLengthLimit,
        };
        try
        {
            await session.RunAsync(cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionIdleTimeoutException or Net.Tls.TlsHandshakeException)
        {
            // The client left, timed out, or the server is stopping: a dropped session changes nothing (RFC 1939 §6).
        }
        catch (MultiLineAbortedException e)
        {
            _logger.LogError(e, "pop3 {Connection}: response aborted", connection.Id);
        }
    }
}
