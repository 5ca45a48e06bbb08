using Rampart.Imap.Protocol;
using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Authenticated;

/// <summary>COMPRESS DEFLATE starts raw deflate compression in both directions, right after the tagged OK. Only when
/// an admin enabled it (<see cref="ImapServerOptions.Compress"/>, off by default: SECURITY.md "COMPRESS"); otherwise
/// it is refused like an unknown command. A second COMPRESS gets <c>NO [COMPRESSIONACTIVE]</c>.</summary>
/// <remarks>RFC 4978 §3. States: Authenticated, Selected.</remarks>
internal static class CompressCommand
{
    public static CommandDefinition Definition { get; } = new("COMPRESS", SessionState.LoggedIn, "RFC 4978 §3", ExecuteAsync);

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        if (!session.Services.Options.Compress)
        {
            throw ImapCommandException.Syntax("COMPRESS is not enabled on this server");
        }

        var args = command.Arguments;
        args.Space();
        var mechanism = args.Atom();
        args.RequireEnd();
        if (!string.Equals(mechanism, "DEFLATE", StringComparison.OrdinalIgnoreCase))
        {
            throw ImapCommandException.Syntax("Unknown compression mechanism");
        }

        if (session.Compressed)
        {
            throw ImapCommandException.No("COMPRESSIONACTIVE", "DEFLATE is already active");
        }

        // RFC 4978 §3: the OK itself is the last uncompressed response.
        session.Writer.Status(command.Tag, "OK", null, "DEFLATE active");
        command.Answered = true;
        await session.FlushAsync();
        session.StartCompression();
    }
}
