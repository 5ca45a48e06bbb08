using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Rampart.Server.Tests.Scram;

/// <summary>How one SCRAM exchange ended on the wire.</summary>
/// <param name="Success">The protocol's success reply came.</param>
/// <param name="FinalLine">The last line the server sent (the tagged reply, +OK/-ERR, 235/535), or null when it closed.</param>
/// <param name="ServerVerified">The client checked the server signature <c>v=</c> and it matched.</param>
internal sealed record ScramOutcome(bool Success, string? FinalLine, bool ServerVerified);

/// <summary>
/// One implicit-TLS connection to a Rampart listener speaking just enough IMAP (RFC 9051 §6.2.2 AUTHENTICATE),
/// POP3 (RFC 5034 AUTH) or SMTP submission (RFC 4954 AUTH) to run a SASL exchange line by line.
/// </summary>
internal sealed class SaslWire : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly SslStream _tls;
    private readonly StreamReader _reader;
    private int _tag;

    private SaslWire(string protocol, TcpClient tcp, SslStream tls)
    {
        Protocol = protocol;
        _tcp = tcp;
        _tls = tls;
        _reader = new StreamReader(tls, Encoding.ASCII);
    }

    /// <summary>imap, pop3 or smtp.</summary>
    public string Protocol { get; }

    /// <summary>The greeting, and the capabilities (IMAP greeting, POP3 CAPA, SMTP EHLO), one line each.</summary>
    public string Capabilities { get; private set; } = "";

    /// <summary>The server certificate this connection saw.</summary>
    public X509Certificate2 ServerCertificate => new(_tls.RemoteCertificate!);

    public static async Task<SaslWire> ConnectAsync(string protocol, int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "mail.test",
            // The generated self-signed certificate: these tests are about SASL, not about trusting it.
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });
        var wire = new SaslWire(protocol, tcp, tls);
        var lines = new StringBuilder((await wire.ReadLineAsync()) + "\n");
        if (protocol == "pop3")
        {
            await wire.WriteLineAsync("CAPA");
            lines.Append(await wire.ReadUntilAsync(l => l == "."));
        }
        else if (protocol == "smtp")
        {
            await wire.WriteLineAsync("EHLO client.test");
            lines.Append(await wire.ReadUntilAsync(l => l.StartsWith("250 ", StringComparison.Ordinal)));
        }

        wire.Capabilities = lines.ToString();
        return wire;
    }

    /// <summary>
    /// The <c>tls-server-end-point</c> channel binding of a certificate (RFC 5929 §4.1): its hash with the hash function
    /// of its signature algorithm, SHA-256 when that is MD5 or SHA-1.
    /// </summary>
    public static byte[] ServerEndPoint(X509Certificate2 certificate)
    {
        HashAlgorithmName hash = certificate.SignatureAlgorithm.Value switch
        {
            "1.2.840.10045.4.3.3" or "1.2.840.113549.1.1.12" => HashAlgorithmName.SHA384,
            "1.2.840.10045.4.3.4" or "1.2.840.113549.1.1.13" => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA256,
        };
        return CryptographicOperations.HashData(hash, certificate.RawData);
    }

    /// <summary>Runs one exchange of <paramref name="mechanism"/>: sends client-first, then client-final made by
    /// <paramref name="final"/> from server-first, and reads the protocol's outcome.</summary>
    public async Task<ScramOutcome> ExchangeAsync(string mechanism, string clientFirst, Func<string, string> final, Func<string, bool> verify)
    {
        var tag = "a" + (++_tag).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await WriteLineAsync(Protocol == "imap" ? $"{tag} AUTHENTICATE {mechanism}" : $"AUTH {mechanism}");
        var line = await ReadReplyAsync(tag);
        if (Challenge(line) is null)
        {
            return new ScramOutcome(false, line, false);
        }

        await WriteLineAsync(Base64(clientFirst));
        line = await ReadReplyAsync(tag);
        if (Challenge(line) is not { } serverFirst)
        {
            return new ScramOutcome(false, line, false);
        }

        await WriteLineAsync(Base64(final(serverFirst)));
        line = await ReadReplyAsync(tag);
        var verified = false;
        if (Challenge(line) is { } serverFinal)
        {
            // RFC 5802 §5: v= as a last challenge, answered with an empty response.
            verified = verify(serverFinal);
            await WriteLineAsync("");
            line = await ReadReplyAsync(tag);
        }

        var success = line is not null && Protocol switch
        {
            "imap" => line.StartsWith(tag + " OK", StringComparison.Ordinal),
            "pop3" => line.StartsWith("+OK", StringComparison.Ordinal),
            _ => line.StartsWith("235 ", StringComparison.Ordinal),
        };
        return new ScramOutcome(success, line, verified);
    }

    /// <summary>The generic authentication failure reply of this protocol.</summary>
    public string GenericFailure => Protocol switch
    {
        "imap" => "NO [AUTHENTICATIONFAILED]",
        "pop3" => "-ERR [AUTH]",
        _ => "535 5.7.8",
    };

    /// <summary>Sends IMAP SELECT INBOX / POP3 STAT / SMTP NOOP and returns the reply: proof that the session is logged in.</summary>
    public async Task<string?> AfterLoginAsync()
    {
        switch (Protocol)
        {
            case "imap":
                await WriteLineAsync("s1 SELECT INBOX");
                return await ReadUntilAsync(l => l.StartsWith("s1 ", StringComparison.Ordinal));
            case "pop3":
                await WriteLineAsync("STAT");
                return await ReadLineAsync();
            default:
                await WriteLineAsync("MAIL FROM:<alice@example.test>");
                return await ReadLineAsync();
        }
    }

    /// <summary>Sends a line. A server that already closed the session (after its failure limit) may reset the
    /// connection under the write; that is not an error here: the next read returns null.</summary>
    public async Task WriteLineAsync(string line)
    {
        try
        {
            await _tls.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
            await _tls.FlushAsync();
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A line, or null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            return await _reader.ReadLineAsync(timeout.Token);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _tls.DisposeAsync();
        _tcp.Dispose();
    }

    private async Task<string> ReadUntilAsync(Func<string, bool> last)
    {
        var text = new StringBuilder();
        while (await ReadLineAsync() is { } line)
        {
            text.Append(line).Append('\n');
            if (last(line))
            {
                break;
            }
        }

        return text.ToString();
    }

    /// <summary>The next line that is a continuation or the outcome (IMAP untagged lines are skipped).</summary>
    private async Task<string?> ReadReplyAsync(string tag)
    {
        while (await ReadLineAsync() is { } line)
        {
            if (Protocol != "imap" || !line.StartsWith("* ", StringComparison.Ordinal))
            {
                return line;
            }
        }

        return null;
    }

    /// <summary>The decoded challenge when <paramref name="line"/> is a continuation ("+ " or "334 "), else null.</summary>
    private string? Challenge(string? line)
    {
        var prefix = Protocol == "smtp" ? "334 " : "+ ";
        if (line is null || !(line.StartsWith(prefix, StringComparison.Ordinal) || line == prefix.TrimEnd()))
        {
            return null;
        }

        var data = line.Length > prefix.Length ? line[prefix.Length..] : "";
        return Encoding.UTF8.GetString(Convert.FromBase64String(data));
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
