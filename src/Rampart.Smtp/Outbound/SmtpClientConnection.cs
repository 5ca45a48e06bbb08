using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Rampart.Smtp.Outbound;

/// <summary>The client side of one SMTP connection to a remote server (RFC 5321): replies are read with limits, so a
/// hostile server can neither exhaust memory nor hold the worker forever; commands are written one at a time.</summary>
public sealed class SmtpClientConnection : IAsyncDisposable
{
    /// <summary>Longest reply line accepted, CRLF included. RFC 5321 §4.5.3.1.5 sets 512; real servers exceed it a
    /// little, so 2048, and a line longer than that ends the connection.</summary>
    public const int MaxReplyLineLength = 2048;

    /// <summary>Most lines in one multi-line reply (an EHLO reply has one per extension). 100.</summary>
    public const int MaxReplyLines = 100;

    private readonly TcpClient client;
    private readonly byte[] buffer = new byte[4096];
    private Stream stream;
    private int start;
    private int end;

    private SmtpClientConnection(TcpClient client)
    {
        this.client = client;
        stream = client.GetStream();
    }

    /// <summary>True once STARTTLS succeeded.</summary>
    public bool IsEncrypted => stream is SslStream;

    /// <summary>The TLS protocol in use, when encrypted.</summary>
    public SslProtocols TlsProtocol => stream is SslStream ssl ? ssl.SslProtocol : SslProtocols.None;

    /// <summary>Connects to <paramref name="address"/>:<paramref name="port"/> within <paramref name="timeout"/>.</summary>
    public static async Task<SmtpClientConnection> ConnectAsync(IPAddress address, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var client = new TcpClient(address.AddressFamily) { NoDelay = true };
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                await client.ConnectAsync(address, port, limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"connect to {address}:{port} timed out");
            }

            return new SmtpClientConnection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Reads one complete reply, single- or multi-line.</summary>
    /// <exception cref="SmtpProtocolException">Malformed, inconsistent codes, too long or too many lines.</exception>
    public async Task<SmtpReply> ReadReplyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var lines = new List<string>();
        var code = -1;
        try
        {
            while (true)
            {
                var line = await ReadLineAsync(limit.Token);
                if (line.Length < 3 || line.AsSpan(0, 3).ContainsAnyExceptInRange('0', '9') || line[0] is < '2' or > '5')
                {
                    throw new SmtpProtocolException($"malformed reply line: {SmtpReply.Printable(line)}");
                }

                var lineCode = int.Parse(line.AsSpan(0, 3), System.Globalization.CultureInfo.InvariantCulture);
                if (code >= 0 && lineCode != code)
                {
                    throw new SmtpProtocolException("reply lines with different codes");
                }

                code = lineCode;
                var more = line.Length > 3 && line[3] == '-';
                if (line.Length > 3 && line[3] is not '-' and not ' ')
                {
                    throw new SmtpProtocolException($"malformed reply line: {SmtpReply.Printable(line)}");
                }

                lines.Add(line.Length > 4 ? line[4..] : string.Empty);
                if (!more)
                {
                    return new SmtpReply(code, lines);
                }

                if (lines.Count >= MaxReplyLines)
                {
                    throw new SmtpProtocolException($"reply longer than {MaxReplyLines} lines");
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no reply within {timeout}");
        }
    }

    /// <summary>Sends one command line (CRLF appended) and reads its reply.</summary>
    public async Task<SmtpReply> CommandAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (command.AsSpan().ContainsAny('\r', '\n'))
        {
            // An address or name carrying CRLF would smuggle a second command (RFC 5321 §4.1.1: one line per command).
            throw new ArgumentException("a command must not contain CR or LF", nameof(command));
        }

        await WriteAsync(Encoding.UTF8.GetBytes(command + "\r\n"), cancellationToken);
        return await ReadReplyAsync(timeout, cancellationToken);
    }

    /// <summary>Writes raw bytes (the message during DATA).</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(bytes, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>The stream to write the message body to (flush it before reading the reply).</summary>
    public Stream DataStream => stream;

    /// <summary>Upgrades to TLS after a 220 to STARTTLS (RFC 3207 §4). With <paramref name="validate"/> the certificate
    /// must chain to a trusted root and match <paramref name="targetHost"/>; without it any certificate is taken
    /// (opportunistic encryption, RFC 7435: it still defeats passive listeners).</summary>
    /// <exception cref="SmtpProtocolException">The server sent bytes after its 220: they would be read as if they came
    /// over TLS (the command-injection class of RFC 3207 §6), so the connection is abandoned.</exception>
    public Task StartTlsAsync(string targetHost, bool validate, TimeSpan timeout, CancellationToken cancellationToken) =>
        StartTlsAsync(targetHost, (_, _, _, errors) => !validate || errors == SslPolicyErrors.None, timeout, cancellationToken);

    /// <summary>Upgrades to TLS after a 220 to STARTTLS, deciding on the certificate with <paramref name="validate"/>
    /// (MTA-STS's PKIX check, DANE's TLSA match). <paramref name="targetHost"/> is sent as SNI (RFC 7672 §8.1).</summary>
    /// <exception cref="SmtpProtocolException">The server sent bytes after its 220.</exception>
    public async Task StartTlsAsync(string targetHost, RemoteCertificateValidationCallback validate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (end > start)
        {
            throw new SmtpProtocolException("the server sent data after its STARTTLS reply");
        }

        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        await ssl.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = targetHost,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                RemoteCertificateValidationCallback = validate,
            },
            limit.Token);
        stream = ssl;
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        client.Dispose();
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline >= 0 && newline - start + 1 > MaxReplyLineLength)
            {
                throw new SmtpProtocolException($"reply line longer than {MaxReplyLineLength} octets");
            }

            if (newline >= 0)
            {
                var length = newline - start;
                if (length > 0 && buffer[newline - 1] == '\r')
                {
                    length--;
                }

                // Replies are ASCII (RFC 5321 §2.4), UTF-8 with SMTPUTF8; anything else is replaced, never trusted.
                var line = Encoding.UTF8.GetString(buffer, start, length);
                start = newline + 1;
                return line;
            }

            if (end - start >= MaxReplyLineLength)
            {
                throw new SmtpProtocolException($"reply line longer than {MaxReplyLineLength} octets");
            }

            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }

            var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
            if (read == 0)
            {
                throw new IOException("the server closed the connection");
            }

            end += read;
        }
    }
}
