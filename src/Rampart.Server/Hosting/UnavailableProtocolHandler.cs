using System.Text;
using Rampart.Net.Listeners;

namespace Rampart.Server.Hosting;

/// <summary>Serves a listener whose protocol is not in this build yet: after TLS it answers with the protocol's own
/// "service not available" greeting and closes, so a client gets a clear protocol error instead of a hang.</summary>
/// <remarks>IMAP: RFC 9051 §7.1.5 BYE greeting with [UNAVAILABLE] (RFC 5530). POP3: RFC 2449 §8.1.2 [SYS/PERM].
/// SMTP/LMTP: RFC 5321 §3.1 554 greeting, RFC 3463 5.3.2 "system not accepting network messages".</remarks>
public sealed class UnavailableProtocolHandler : IConnectionHandler
{
    private readonly byte[] greeting;

    public UnavailableProtocolHandler(string protocol, string hostName)
    {
        Protocol = protocol;
        var text = protocol switch
        {
            "imap" => $"* BYE [UNAVAILABLE] {hostName} Rampart: IMAP is not available in this build yet\r\n",
            "pop3" => $"-ERR [SYS/PERM] {hostName} Rampart: POP3 is not available in this build yet\r\n",
            "smtp" or "lmtp" => $"554 5.3.2 {hostName} Rampart: {protocol.ToUpperInvariant()} is not available in this build yet\r\n",
            _ => string.Empty,
        };
        greeting = Encoding.ASCII.GetBytes(text);
    }

    public string Protocol { get; }

    public async Task HandleAsync(Connection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (greeting.Length > 0)
        {
            await connection.Output.WriteAsync(greeting, cancellationToken);
            await connection.Output.FlushAsync(cancellationToken);
        }
    }
}
