using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Any;

/// <summary>ID exchanges implementation names. The client's list is parsed and ignored (never trusted, e.g. an
/// x-originating-ip, SECURITY.md I03); the server names itself without a version.</summary>
/// <remarks>RFC 2971 §3.1. States: any.</remarks>
internal static class IdCommand
{
    /// <summary>Most field/value pairs accepted. Default 30, RFC 2971 §3.3's own limit.</summary>
    public const int MaxFields = 30;

    public static CommandDefinition Definition { get; } = new("ID", SessionState.Any, "RFC 2971 §3.1", ExecuteAsync);

    private static Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        var args = command.Arguments;
        args.Space();
        if (!args.TryKeyword("NIL"u8))
        {
            var count = 0;
            args.List(() =>
            {
                if (++count > MaxFields * 2)
                {
                    throw Protocol.ImapCommandException.Syntax("Too many ID fields");
                }

                args.NString();
            });
        }

        args.RequireEnd();
        session.Writer.Untagged("ID (\"name\" \"Rampart\")");
        return Task.CompletedTask;
    }
}
