using System.Buffers;
using System.Text;
using Rampart.Net.Listeners;
using Rampart.Net.Reading;

namespace Rampart.Net.Tests.TestSupport;

/// <summary>
/// A tiny line protocol for tests: greets with "* OK ready", answers each line with "OK &lt;line&gt;", and on
/// "STARTTLS" answers "OK begin TLS" then upgrades.
/// </summary>
public sealed class LineEchoHandler : IConnectionHandler
{
    public List<string> Received { get; } = [];

    public List<Connection> Connections { get; } = [];

    public async Task HandleAsync(Connection connection, CancellationToken cancellationToken)
    {
        lock (Connections)
        {
            Connections.Add(connection);
        }

        await WriteAsync(connection, "* OK ready");
        var reader = new ProtocolReader(connection.Input);
        while (true)
        {
            var result = await reader.ReadLineAsync(cancellationToken);
            if (result.Status == LineReadStatus.EndOfStream)
            {
                return;
            }

            if (result.Status != LineReadStatus.Line)
            {
                await WriteAsync(connection, "BAD " + result.Status);
                return;
            }

            var line = Encoding.ASCII.GetString(result.Line.ToArray());
            lock (Received)
            {
                Received.Add(line);
            }

            if (line.EndsWith("STARTTLS", StringComparison.Ordinal))
            {
                await WriteAsync(connection, "OK begin TLS");
                await connection.StartTlsAsync(cancellationToken);
                reader = new ProtocolReader(connection.Input);
                continue;
            }

            await WriteAsync(connection, "OK " + line);
        }
    }

    private static async Task WriteAsync(Connection connection, string line)
    {
        await connection.Output.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
    }
}
