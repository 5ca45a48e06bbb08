using Rampart.Imap.Protocol;
using Rampart.Imap.Session;

namespace Rampart.Imap.Commands.Authenticated;

/// <summary>IDLE waits on the account's change feed and reports each change as it happens, until DONE.</summary>
/// <remarks>RFC 9051 §6.3.13, RFC 2177. States: Authenticated, Selected.</remarks>
internal static class IdleCommand
{
    public static CommandDefinition Definition { get; } = new("IDLE", SessionState.LoggedIn, "RFC 9051 §6.3.13", ExecuteAsync);

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        command.Arguments.RequireEnd();
        await session.DrainChangesAsync(CancellationToken.None);
        session.ReportChanges(allowExpunge: true);
        await session.ContinueAsync("idling", CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var read = session.ReadContinuationLineAsync(CancellationToken.None);
        try
        {
            while (true)
            {
                var wait = session.Changes is { } changes
                    ? changes.Changes.WaitToReadAsync(stop.Token).AsTask()
                    : Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => false, TaskScheduler.Default);
                var done = await Task.WhenAny(read, wait);
                if (done == read)
                {
                    break;
                }

                if (!await wait)
                {
                    // The feed ended (store shutting down): only DONE is left to wait for.
                    await read;
                    break;
                }

                await session.DrainChangesAsync(CancellationToken.None);
                session.ReportChanges(allowExpunge: true);
                await session.FlushAsync();
            }
        }
        finally
        {
            await stop.CancelAsync();
        }

        var line = await read ?? throw new IOException("Connection closed during IDLE.");
        if (!System.Text.Ascii.EqualsIgnoreCase(line, "DONE"u8))
        {
            throw ImapCommandException.Syntax("Expected DONE");
        }

        command.OkText = "IDLE terminated";
    }
}
