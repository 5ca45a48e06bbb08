using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Rampart.Monitoring.Metrics;
using Rampart.Net.Listeners;

namespace Rampart.Server.Monitoring;

/// <summary>
/// The <c>admin</c> listener's HTTP: <c>GET /metrics</c> answers the Prometheus text format; any other path is 404 and
/// any other method 405. It speaks just enough HTTP/1.1 (RFC 9112) for a scraper and curl, over the listener's TLS:
/// one request per connection, then close; request line and headers at most <see cref="MaxRequestBytes"/>; no body.
/// </summary>
/// <remarks>A hand-written handler rather than Kestrel: the admin listener already has Rampart's TLS policy, access
/// rules and limits through <c>ConnectionListener</c>, and one GET needs no web framework.</remarks>
public sealed class MetricsHttpHandler : IConnectionHandler
{
    /// <summary>Largest request head (request line and headers). 8 KiB, the common HTTP server default.</summary>
    public const int MaxRequestBytes = 8 * 1024;

    private readonly MetricsRegistry registry;

    public MetricsHttpHandler(MetricsRegistry registry) => this.registry = registry;

    public async Task HandleAsync(Connection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var head = await ReadHeadAsync(connection.Input, cancellationToken);
        var (status, body) = head switch
        {
            null => ("431 Request Header Fields Too Large", "request head too large or incomplete\n"),
            _ => Route(head),
        };
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var contentType = status.StartsWith("200", StringComparison.Ordinal) ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8";
        var response = string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {bodyBytes.Length}\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n");
        await connection.Output.WriteAsync(Encoding.ASCII.GetBytes(response), cancellationToken);
        await connection.Output.WriteAsync(bodyBytes, cancellationToken);
        await connection.Output.FlushAsync(cancellationToken);
    }

    private (string Status, string Body) Route(string head)
    {
        var requestLine = head[..head.IndexOf('\n', StringComparison.Ordinal)].TrimEnd('\r');
        var parts = requestLine.Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return ("400 Bad Request", "bad request line\n");
        }

        if (parts[0] != "GET")
        {
            return ("405 Method Not Allowed", "only GET\n");
        }

        var path = parts[1].Split('?')[0];
        return path == "/metrics" ? ("200 OK", registry.Export()) : ("404 Not Found", "not found; try /metrics\n");
    }

    /// <summary>Reads up to the blank line ending the head; null when it exceeds the limit or the client leaves.</summary>
    private static async Task<string?> ReadHeadAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            if (reader.TryReadTo(out ReadOnlySequence<byte> head, "\r\n\r\n"u8, advancePastDelimiter: true) && head.Length + 4 <= MaxRequestBytes)
            {
                var text = Encoding.Latin1.GetString(head) + "\r\n";
                input.AdvanceTo(reader.Position);
                return text;
            }

            if (buffer.Length > MaxRequestBytes || result.IsCompleted)
            {
                input.AdvanceTo(buffer.End);
                return null;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
