using System.Text;
using Rampart.Fuzz.Support;

namespace Rampart.Fuzz.Targets;

/// <summary>
/// Sends the input as a client's bytes to a real IMAP session (the command parser, literal assembly, every command's
/// argument grammar and state rules) on a real SQLite store, then closes the connection.
/// </summary>
/// <remarks>
/// <para>Input: one option octet, then the client's bytes. Option bit 0 logs in as <c>alice</c> first, bit 1 also selects
/// INBOX (three messages), so that short inputs reach the authenticated and selected commands.</para>
/// <para>A command may only fail as the protocol says: BAD for syntax, NO with a code for the user's mistakes. Checked
/// promises: the session returns when the client closes (no exception leaves it); no command ends in
/// <c>NO [SERVERBUG]</c>, which the session answers to an unexpected exception (the logged exception is reported); and
/// every line the server writes ends with CRLF.</para>
/// <para>Commands change the store (APPEND, EXPUNGE, DELETE); the store lives as long as the fuzzing process, so AFL's
/// stability figure is below 100 % for this target.</para>
/// </remarks>
internal sealed class ImapCommandTarget : IFuzzTarget
{
    public string Name => "imap-command";

    public string Summary => "Rampart.Imap session over a real store: command lines, literals, every command's arguments";

    public void Run(ReadOnlySpan<byte> input)
    {
        var options = FuzzInput.TakeOptions(input, out var payload);
        var prefix = (options & 3) switch
        {
            0 => string.Empty,
            1 => "p1 LOGIN alice secret\r\n",
            _ => "p1 LOGIN alice secret\r\np2 SELECT INBOX\r\n",
        };
        var server = FuzzImapServer.Instance;
        var output = server.Session([.. Encoding.ASCII.GetBytes(prefix), .. payload]);
        if (Environment.GetEnvironmentVariable("RAMPART_FUZZ_ECHO") == "1")
        {
            // For a person replaying one input: what the server answered.
            Console.Error.Write(output);
        }

        if (server.LastError is { } error || output.Contains("[SERVERBUG]", StringComparison.Ordinal))
        {
            throw new InvariantViolationException("A command ended in NO [SERVERBUG].", server.LastError ?? new InvalidOperationException(output));
        }

        InvariantViolationException.Check(output.Length == 0 || output.EndsWith("\r\n", StringComparison.Ordinal), "The server's last line does not end with CRLF.");
    }
}
