using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Authenticated;

/// <summary>ENABLE turns on extensions that change how the server talks: IMAP4rev2, CONDSTORE, QRESYNC, UTF8=ACCEPT.
/// Unknown names are ignored, as RFC 5161 §3.1 requires.</summary>
/// <remarks>RFC 9051 §6.3.1, RFC 5161. States: Authenticated (RFC 9051 allows it only before SELECT).</remarks>
internal static class EnableCommand
{
    public static CommandDefinition Definition { get; } = new("ENABLE", SessionState.Authenticated, "RFC 9051 §6.3.1", ExecuteAsync);

    private static Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        var args = command.Arguments;
        var enabled = new List<string>();
        args.Space();
        do
        {
            var name = args.Atom().ToUpperInvariant();
            switch (name)
            {
                case "IMAP4REV2" when !session.Rev2:
                    session.Rev2 = true;
                    enabled.Add("IMAP4rev2");
                    break;
                case "CONDSTORE" when !session.CondStore:
                    session.CondStore = true;
                    enabled.Add("CONDSTORE");
                    break;
                case "QRESYNC" when !session.QResync:
                    // RFC 7162 §3.2.3: QRESYNC implies CONDSTORE.
                    session.QResync = true;
                    session.CondStore = true;
                    enabled.Add("QRESYNC");
                    break;
                case "UTF8=ACCEPT" when !session.Utf8Accept:
                    session.Utf8Accept = true;
                    enabled.Add("UTF8=ACCEPT");
                    break;
                default:
                    break;
            }
        }
        while (args.TrySpace());
        args.RequireEnd();
        session.Writer.Untagged("ENABLED" + string.Concat(enabled.Select(e => " " + e)));
        return Task.CompletedTask;
    }
}
