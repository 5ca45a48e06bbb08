using System.CommandLine;

namespace Rampart.Server.Cli.Queue;

/// <summary><c>rampart queue delete ID</c>: removes a message from the queue without a DSN. A delivery already in
/// progress finishes its current transaction; nothing is sent for the message after that.</summary>
public static class QueueDeleteCommand
{
    public static Command Create(RampartCli cli)
    {
        var id = QueueCommand.IdArgument();
        var command = new Command("delete", "Delete a queued message (no DSN is sent)") { id };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var each = QueueCommand.CheckId(result.GetValue(id)!);
            if (!QueueCommand.Open(context).Delete(each))
            {
                throw new CliException(ExitCodes.NoUser, $"{each}: not in the queue");
            }

            await context.Output.WriteLineAsync($"deleted {each}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
