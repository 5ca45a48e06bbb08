using System.Globalization;
using System.Net;
using System.Text;

namespace Rampart.Bench.Protocols.Clients;

/// <summary>The IMAP commands the benchmark sends (RFC 9051 / RFC 3501 syntax both servers accept), over a
/// <see cref="WireConnection"/>. Responses are read to the tagged completion; literals are skipped by length.</summary>
internal sealed class ImapWire(WireConnection connection)
{
    private int _tag;

    public WireConnection Connection => connection;

    /// <summary>The last <c>* SEARCH</c> line's numbers.</summary>
    public IReadOnlyList<uint> LastSearch { get; private set; } = [];

    /// <summary>Untagged responses the last command produced.</summary>
    public int LastUntagged { get; private set; }

    public static async Task<ImapWire> ConnectAsync(int port, CancellationToken cancellationToken, IPAddress? local = null, bool nagle = false)
    {
        var wire = new ImapWire(await WireConnection.ConnectAsync(port, cancellationToken, local, nagle));
        var greeting = await wire.Connection.ReadLineAsync(cancellationToken);
        return greeting.StartsWith("* OK", StringComparison.Ordinal)
            ? wire
            : throw new InvalidOperationException("IMAP greeting: " + greeting);
    }

    public Task LoginAsync(string user, string password, CancellationToken cancellationToken) =>
        CommandAsync($"LOGIN {user} \"{password}\"", cancellationToken);

    /// <summary>Sends one command and reads every response up to its tagged OK; throws on NO/BAD.</summary>
    public async Task<string> CommandAsync(string command, CancellationToken cancellationToken)
    {
        var tag = NextTag();
        await connection.WriteAsync(tag + " " + command + "\r\n", cancellationToken);
        return await ReadCompletionAsync(tag, command, cancellationToken);
    }

    /// <summary>APPEND with a synchronizing literal (RFC 9051 §6.3.12): waits for the continuation before sending.</summary>
    public async Task<string> AppendAsync(string mailbox, string flags, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var tag = NextTag();
        await connection.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"{tag} APPEND {mailbox} ({flags}) {{{message.Length}}}\r\n"), cancellationToken);
        var line = await connection.ReadLineAsync(cancellationToken);
        if (!line.StartsWith('+'))
        {
            throw new InvalidOperationException("APPEND: " + line);
        }

        await connection.WriteAsync(message, cancellationToken);
        await connection.WriteAsync("\r\n", cancellationToken);
        return await ReadCompletionAsync(tag, "APPEND", cancellationToken);
    }

    /// <summary>Enters IDLE (RFC 2177) and waits for the continuation.</summary>
    public async Task<string> StartIdleAsync(CancellationToken cancellationToken)
    {
        var tag = NextTag();
        await connection.WriteAsync(tag + " IDLE\r\n", cancellationToken);
        while (true)
        {
            var line = await connection.ReadLineAsync(cancellationToken);
            if (line.StartsWith('+'))
            {
                return tag;
            }

            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("IDLE: " + line);
            }
        }
    }

    /// <summary>Waits in IDLE for an untagged line ending in <paramref name="suffix"/> (e.g. <c>EXISTS</c>).</summary>
    public async Task WaitForUntaggedAsync(string suffix, CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await connection.ReadLineAsync(cancellationToken);
            if (line.StartsWith("* ", StringComparison.Ordinal) && line.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }
    }

    public async Task StopIdleAsync(string tag, CancellationToken cancellationToken)
    {
        await connection.WriteAsync("DONE\r\n", cancellationToken);
        await ReadCompletionAsync(tag, "IDLE", cancellationToken);
    }

    /// <summary>Sends one command and returns its tagged completion whatever it says (NO and BAD included); throws
    /// <see cref="IOException"/> when the server closes first.</summary>
    public async Task<string> CommandAnyAsync(string command, CancellationToken cancellationToken)
    {
        var tag = NextTag();
        await connection.WriteAsync(tag + " " + command + "\r\n", cancellationToken);
        while (true)
        {
            var line = await connection.ReadLineAsync(cancellationToken);
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                return line[(tag.Length + 1)..];
            }
        }
    }

    private string NextTag() => "t" + (++_tag).ToString(CultureInfo.InvariantCulture);

    private async Task<string> ReadCompletionAsync(string tag, string command, CancellationToken cancellationToken)
    {
        var untagged = 0;
        var prefix = tag + " ";
        while (true)
        {
            var line = await connection.ReadLineAsync(cancellationToken);
            // A response line may carry literals ({N} at the end); skip each one and read on to the real line end.
            while (line.EndsWith('}') && line.LastIndexOf('{') is var open and >= 0
                && long.TryParse(line.AsSpan(open + 1, line.Length - open - 2).TrimEnd('+'), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                await connection.SkipAsync(size, cancellationToken);
                line = await connection.ReadLineAsync(cancellationToken);
            }

            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                LastUntagged = untagged;
                var status = line.AsSpan(prefix.Length);
                return status.StartsWith("OK", StringComparison.OrdinalIgnoreCase)
                    ? line
                    : throw new InvalidOperationException($"IMAP {Shorten(command)}: {line}");
            }

            untagged++;
            if (line.StartsWith("* SEARCH", StringComparison.OrdinalIgnoreCase))
            {
                LastSearch = ParseNumbers(line.AsSpan(8));
            }
            else if (line.StartsWith("* BYE", StringComparison.OrdinalIgnoreCase) && !command.StartsWith("LOGOUT", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"IMAP {Shorten(command)}: {line}");
            }
        }
    }

    private static uint[] ParseNumbers(ReadOnlySpan<char> text)
    {
        var numbers = new List<uint>();
        foreach (var range in text.Split(' '))
        {
            if (uint.TryParse(text[range], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                numbers.Add(n);
            }
        }

        return [.. numbers];
    }

    private static string Shorten(string command) => command.StartsWith("LOGIN", StringComparison.OrdinalIgnoreCase) ? "LOGIN" : command;

    /// <summary>Bytes of an ASCII string, for building APPEND literals.</summary>
    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
