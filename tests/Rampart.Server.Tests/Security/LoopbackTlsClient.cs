using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Rampart.Server.Tests.Security;

/// <summary>A line-based IMAP, POP3 or SMTP client over implicit TLS from a chosen loopback address (any of
/// 127.0.0.0/8), so that one test can play several clients with their own per-address counters.</summary>
internal sealed class LoopbackTlsClient : IAsyncDisposable
{
    private readonly TcpClient tcp;
    private readonly SslStream tls;
    private readonly StreamReader reader;

    private LoopbackTlsClient(TcpClient tcp, SslStream tls)
    {
        this.tcp = tcp;
        this.tls = tls;
        reader = new StreamReader(tls, Encoding.ASCII);
    }

    public static async Task<LoopbackTlsClient> ConnectAsync(int port, IPAddress local)
    {
        var tcp = new TcpClient(new IPEndPoint(local, 0));
        try
        {
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "mail.test" });
            return new LoopbackTlsClient(tcp, tls);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    public async Task<string> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await reader.ReadLineAsync(timeout.Token) ?? throw new IOException("closed");
    }

    /// <summary>Sends a command and returns its final line (the tagged one for IMAP, skipping untagged).</summary>
    public async Task<string> CommandAsync(string line)
    {
        await SendAsync(line);
        while (true)
        {
            var reply = await ReadLineAsync();
            if (!reply.StartsWith('*'))
            {
                return reply;
            }
        }
    }

    /// <summary>Sends an SMTP command and returns the last line of its reply (RFC 5321 §4.2: "250-" continues).</summary>
    public async Task<string> SmtpCommandAsync(string line)
    {
        await SendAsync(line);
        return await SmtpReplyAsync();
    }

    public async Task<string> SmtpReplyAsync()
    {
        while (true)
        {
            var reply = await ReadLineAsync();
            if (reply.Length < 4 || reply[3] != '-')
            {
                return reply;
            }
        }
    }

    /// <summary>True when the server closes the connection within a few seconds (after any last lines).</summary>
    public async Task<bool> IsClosedAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (await reader.ReadLineAsync(timeout.Token) is not null)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private async Task SendAsync(string line)
    {
        await tls.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
        await tls.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        reader.Dispose();
        await tls.DisposeAsync();
        tcp.Dispose();
    }

    /// <summary>True when the server closes a fresh connection from <paramref name="local"/> without waiting for a TLS
    /// ClientHello: refused at accept. An admitted client on an implicit-TLS port gets no byte until it speaks.</summary>
    public static async Task<bool> IsClosedAtOnceAsync(int port, IPAddress local)
    {
        using var client = new TcpClient(new IPEndPoint(local, 0));
        await client.ConnectAsync(IPAddress.Loopback, port);
        var buffer = new byte[16];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            return await client.GetStream().ReadAsync(buffer, timeout.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
