using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Rampart.Bench.Protocols.Reporting;
using Rampart.Bench.Protocols.Servers;

namespace Rampart.Bench.Protocols.Scenarios;

/// <summary>LMTP deliveries (RFC 2033, issue 6): each client keeps one plain loopback connection, as a local MTA does,
/// and delivers the corpus message after message (MAIL, RCPT, DATA pipelined, then the dot-stuffed message), one
/// recipient each, to its own account. A delivery counts when the server's per-recipient reply after the final dot
/// is 2xx, which both servers send only once the message is stored.</summary>
internal static class LmtpScenario
{
    /// <summary>Distinct messages the clients cycle through (the corpus generator's sizes and structures).</summary>
    private const int CorpusSize = 200;

    public static IEnumerable<string> Users(BenchOptions options) =>
        Enumerable.Range(0, options.Pop3Clients.Max()).Select(i => "lmtp" + i.ToString(CultureInfo.InvariantCulture));

    public static async Task RunAsync(ScenarioContext context)
    {
        var options = context.Options;
        var payloads = context.Corpus.GenerateMany(CorpusSize).Select(m => DotStuff(m.Bytes)).ToArray();
        foreach (var clients in options.Pop3Clients)
        {
            await context.CompareAsync(string.Create(CultureInfo.InvariantCulture, $"LMTP, {clients} connection(s), {CorpusSize}-message corpus"), async server =>
            {
                var (deliveries, bytes, elapsed) = await MeasureAsync(server, clients, payloads, options.Duration);
                return
                [
                    ("deliveries/s", deliveries / elapsed.TotalSeconds, Better.Higher),
                    ("MB/s", bytes / 1e6 / elapsed.TotalSeconds, Better.Higher),
                ];
            });
        }
    }

    private static async Task<(int Deliveries, long Bytes, TimeSpan Elapsed)> MeasureAsync(ServerUnderTest server, int clients, byte[][] payloads, TimeSpan limit)
    {
        var sessions = new List<LmtpSession>();
        try
        {
            for (var c = 0; c < clients; c++)
            {
                sessions.Add(await LmtpSession.OpenAsync(server.LmtpPort, "lmtp" + c.ToString(CultureInfo.InvariantCulture) + "@bench.test"));
            }

            // One warm-up delivery per connection: first-delivery work (index files, caches) is not what is compared.
            await Task.WhenAll(sessions.Select(s => s.DeliverAsync(payloads[0])));

            var delivered = 0;
            long bytes = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(sessions.Select(async (session, c) =>
            {
                for (var i = c; clock.Elapsed < limit; i += clients)
                {
                    var payload = payloads[i % payloads.Length];
                    await session.DeliverAsync(payload);
                    Interlocked.Increment(ref delivered);
                    Interlocked.Add(ref bytes, payload.Length);
                }
            }));
            clock.Stop();
            return (delivered, bytes, clock.Elapsed);
        }
        finally
        {
            foreach (var session in sessions)
            {
                session.Dispose();
            }
        }
    }

    /// <summary>RFC 5321 §4.5.2 transparency: a line that starts with "." gets another; then the end-of-data line.</summary>
    private static byte[] DotStuff(byte[] message)
    {
        var output = new MemoryStream(message.Length + 64);
        var lineStart = true;
        foreach (var b in message)
        {
            if (lineStart && b == (byte)'.')
            {
                output.WriteByte((byte)'.');
            }

            output.WriteByte(b);
            lineStart = b == (byte)'\n';
        }

        output.Write(lineStart ? ".\r\n"u8 : "\r\n.\r\n"u8);
        return output.ToArray();
    }

    private sealed class LmtpSession : IDisposable
    {
        private readonly TcpClient _client;
        private readonly NetworkStream _stream;
        private readonly StreamReader _reader;
        private readonly byte[] _envelope;

        private LmtpSession(TcpClient client, string recipient)
        {
            _client = client;
            _stream = client.GetStream();
            _reader = new StreamReader(_stream, Encoding.ASCII);
            _envelope = Encoding.ASCII.GetBytes($"MAIL FROM:<sender@remote.test>\r\nRCPT TO:<{recipient}>\r\nDATA\r\n");
        }

        public static async Task<LmtpSession> OpenAsync(int port, string recipient)
        {
            var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(IPAddress.Loopback, port);
            var session = new LmtpSession(client, recipient);
            await session.ExpectAsync('2');
            await session._stream.WriteAsync("LHLO bench.test\r\n"u8.ToArray());
            await session.ExpectAsync('2');
            return session;
        }

        public async Task DeliverAsync(byte[] payload)
        {
            // Both servers advertise PIPELINING: the envelope goes in one write, the replies come in order.
            await _stream.WriteAsync(_envelope);
            await ExpectAsync('2');
            await ExpectAsync('2');
            await ExpectAsync('3');
            await _stream.WriteAsync(payload);
            await ExpectAsync('2');
        }

        private async Task ExpectAsync(char first)
        {
            while (true)
            {
                var line = await _reader.ReadLineAsync() ?? throw new IOException("the LMTP server closed the connection");
                if (line.Length < 4 || line[0] != first)
                {
                    throw new InvalidOperationException($"unexpected LMTP reply: {line}");
                }

                if (line[3] == ' ')
                {
                    return;
                }
            }
        }

        public void Dispose()
        {
            _reader.Dispose();
            _client.Dispose();
        }
    }
}
