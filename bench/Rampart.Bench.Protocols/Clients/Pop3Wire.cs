namespace Rampart.Bench.Protocols.Clients;

/// <summary>The POP3 commands the benchmark sends (RFC 1939), over a <see cref="WireConnection"/>.</summary>
internal sealed class Pop3Wire(WireConnection connection)
{
    public WireConnection Connection => connection;

    public static async Task<Pop3Wire> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var wire = new Pop3Wire(await WireConnection.ConnectAsync(port, cancellationToken));
        await wire.ExpectOkAsync("greeting", cancellationToken);
        return wire;
    }

    /// <summary>Sends one command and reads its status line; throws on <c>-ERR</c>.</summary>
    public async Task<string> CommandAsync(string command, CancellationToken cancellationToken)
    {
        await connection.WriteAsync(command + "\r\n", cancellationToken);
        return await ExpectOkAsync(command.StartsWith("PASS", StringComparison.Ordinal) ? "PASS" : command, cancellationToken);
    }

    /// <summary>Sends a command whose answer is multi-line (UIDL, LIST, RETR); returns the octets of the body.</summary>
    public async Task<long> MultiLineAsync(string command, CancellationToken cancellationToken)
    {
        await CommandAsync(command, cancellationToken);
        return await connection.SkipMultiLineAsync(cancellationToken);
    }

    private async Task<string> ExpectOkAsync(string what, CancellationToken cancellationToken)
    {
        var line = await connection.ReadLineAsync(cancellationToken);
        return line.StartsWith("+OK", StringComparison.Ordinal)
            ? line
            : throw new InvalidOperationException($"POP3 {what}: {line}");
    }
}
