using Rampart.Imap.Protocol;
using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Authenticated;

/// <summary>SETQUOTA: parsed, then refused. Quotas are an administrator's decision (<c>rampart user quota</c>); a user
/// who could raise their own limit would have none.</summary>
/// <remarks>RFC 9208 §4.1 (a server may refuse with NO; §3.3: the client then learns it lacks the right).
/// States: Authenticated, Selected.</remarks>
internal static class SetQuotaCommand
{
    public static CommandDefinition Definition { get; } = new("SETQUOTA", SessionState.LoggedIn, "RFC 9208 §4.1", Execute);

    private static Task Execute(ImapSession session, ImapCommand command)
    {
        // RFC 9208 §4.1: setquota = "SETQUOTA" SP quota-root-name SP setquota-list; a malformed one is BAD.
        var args = command.Arguments;
        args.Space();
        _ = args.Astring();
        args.Space();
        args.List(() =>
        {
            _ = args.Atom();
            args.Space();
            _ = args.Number64();
        });
        args.RequireEnd();
        throw ImapCommandException.No("NOPERM", "Quotas are set by the administrator");
    }
}
