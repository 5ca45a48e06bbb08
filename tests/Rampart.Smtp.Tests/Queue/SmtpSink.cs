using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Rampart.Smtp.Tests.Queue;

/// <summary>One message as the sink received it: envelope and the data, un-dot-stuffed, without the final dot.</summary>
internal sealed record SinkMessage(string MailFrom, IReadOnlyList<string> Recipients, byte[] Data, bool Tls)
{
    public string Text => Encoding.UTF8.GetString(Data);
}

/// <summary>A small real SMTP receiver on 127.0.0.1 for the outbound queue's tests: records what arrives and answers
/// 4xx/5xx on demand (per recipient, to DATA, or by refusing STARTTLS), with or without STARTTLS.</summary>
internal sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private readonly X509Certificate2? certificate;

    private SmtpSink(TcpListener listener, X509Certificate2? certificate)
    {
        this.listener = listener;
        this.certificate = certificate;
        loop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public ConcurrentQueue<SinkMessage> Messages { get; } = new();

    /// <summary>Every command line received, across connections.</summary>
    public ConcurrentQueue<string> Commands { get; } = new();

    /// <summary>Reply to RCPT TO for an address; null = 250.</summary>
    public Func<string, string?> RcptReply { get; set; } = _ => null;

    /// <summary>Reply after the data; null = 250. Called once per transaction, with its number (1, 2, …).</summary>
    public Func<int, string?> DataReply { get; set; } = _ => null;

    /// <summary>The greeting as sent, CRLF added (a hostile server's reply can be put here).</summary>
    public string Greeting { get; set; } = "220 sink.test ESMTP";

    /// <summary>Certificates sent after the server's own in the TLS handshake (its CA chain), when set.</summary>
    public X509Certificate2Collection? ChainCertificates { get; set; }

    /// <summary>Extra EHLO lines (e.g. "SIZE 1000").</summary>
    public List<string> Extensions { get; } = ["8BITMIME", "SIZE 10485760"];

    private int transactions;

    public int Connections;

    /// <summary>A sink on <paramref name="address"/>; with <paramref name="tls"/> it offers STARTTLS with a self-signed
    /// certificate, or with <paramref name="certificate"/> when given (the sink disposes it).</summary>
    public static SmtpSink Start(int port = 0, bool tls = false, string address = "127.0.0.1", X509Certificate2? certificate = null)
    {
        var listener = new TcpListener(IPAddress.Parse(address), port);
        listener.Start();
        return new SmtpSink(listener, certificate ?? (tls ? CreateCertificate() : null));
    }

    public async Task<SinkMessage> WaitForMessageAsync(int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (Messages.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"sink received {Messages.Count} of {count} messages; commands: {string.Join(" | ", Commands)}");
            }

            await Task.Delay(50);
        }

        return Messages.ToArray()[count - 1];
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        try
        {
            await loop;
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException or OperationCanceledException)
        {
        }

        certificate?.Dispose();
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref Connections);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await SessionAsync(client.GetStream());
                    }
                    catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
                    {
                    }
                }
            });
        }
    }

    private async Task SessionAsync(Stream network)
    {
        Stream stream = network;
        var reader = new LineReader(stream);
        var tls = false;
        string? from = null;
        var recipients = new List<string>();
        await WriteAsync(stream, Greeting);
        while (true)
        {
            var line = await reader.ReadLineAsync();
            if (line is null)
            {
                return;
            }

            Commands.Enqueue(line);
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    var lines = new List<string> { "sink.test" };
                    lines.AddRange(Extensions);
                    if (certificate is not null && !tls)
                    {
                        lines.Add("STARTTLS");
                    }

                    for (var i = 0; i < lines.Count; i++)
                    {
                        await WriteAsync(stream, (i < lines.Count - 1 ? "250-" : "250 ") + lines[i]);
                    }

                    break;
                case "HELO":
                    await WriteAsync(stream, "250 sink.test");
                    break;
                case "STARTTLS":
                    await WriteAsync(stream, "220 2.0.0 go ahead");
                    var ssl = new SslStream(stream);
                    if (ChainCertificates is { } chain)
                    {
                        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = SslStreamCertificateContext.Create(certificate!, chain, offline: true) });
                    }
                    else
                    {
                        await ssl.AuthenticateAsServerAsync(certificate!);
                    }

                    stream = ssl;
                    reader = new LineReader(stream);
                    tls = true;
                    from = null;
                    recipients.Clear();
                    break;
                case "MAIL":
                    from = Between(line);
                    recipients.Clear();
                    await WriteAsync(stream, "250 2.1.0 ok");
                    break;
                case "RCPT":
                    var rcpt = Between(line);
                    var reply = RcptReply(rcpt);
                    if (reply is null)
                    {
                        recipients.Add(rcpt);
                        reply = "250 2.1.5 ok";
                    }

                    await WriteAsync(stream, reply);
                    break;
                case "DATA":
                    await WriteAsync(stream, "354 end with .");
                    var data = await reader.ReadDataAsync();
                    var dataReply = DataReply(Interlocked.Increment(ref transactions));
                    if (dataReply is null)
                    {
                        Messages.Enqueue(new SinkMessage(from ?? "", [.. recipients], data, tls));
                        dataReply = "250 2.0.0 queued";
                    }

                    await WriteAsync(stream, dataReply);
                    break;
                case "RSET":
                    from = null;
                    recipients.Clear();
                    await WriteAsync(stream, "250 ok");
                    break;
                case "QUIT":
                    await WriteAsync(stream, "221 bye");
                    return;
                default:
                    await WriteAsync(stream, "502 5.5.1 unknown");
                    break;
            }
        }
    }

    private static string Between(string line)
    {
        var start = line.IndexOf('<', StringComparison.Ordinal);
        var end = line.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? line[(start + 1)..end] : "";
    }

    private static async Task WriteAsync(Stream stream, string line)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"));
        await stream.FlushAsync();
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=sink.test", key, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Byte-wise CRLF line reader over the session stream (test code: simple, not fast).</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] one = new byte[1];

        public async Task<string?> ReadLineAsync()
        {
            var bytes = await ReadRawLineAsync();
            return bytes is null ? null : Encoding.UTF8.GetString(bytes).TrimEnd('\r', '\n');
        }

        public async Task<byte[]> ReadDataAsync()
        {
            var data = new MemoryStream();
            while (true)
            {
                var line = await ReadRawLineAsync() ?? throw new IOException("eof in data");
                if (line.AsSpan().SequenceEqual(".\r\n"u8))
                {
                    return data.ToArray();
                }

                var offset = line.Length > 0 && line[0] == '.' ? 1 : 0;
                data.Write(line, offset, line.Length - offset);
            }
        }

        private async Task<byte[]?> ReadRawLineAsync()
        {
            var line = new MemoryStream();
            while (true)
            {
                var read = await stream.ReadAsync(one);
                if (read == 0)
                {
                    return line.Length == 0 ? null : line.ToArray();
                }

                line.WriteByte(one[0]);
                if (one[0] == '\n')
                {
                    return line.ToArray();
                }
            }
        }
    }
}
