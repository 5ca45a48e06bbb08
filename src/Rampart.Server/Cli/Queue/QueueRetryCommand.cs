using System.CommandLine;

namespace Rampart.Server.Cli.Queue;

/// <summary><c>rampart queue retry ID|--all</c>: asks the delivery worker to try now instead of at the next attempt
/// time; the running server picks the request up within a second (or the next start does).</summary>
public static class QueueRetryCommand
{
    public static Command Create(RampartCli cli)
    {
        var id = new Argument<string?>("ID") { Description = "A queue id", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Retry every queued message" };
        var command = new Command("retry", "Try queued mail again now") { id, all };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var queue = QueueCommand.Open(context);
            var single = result.GetValue(id);
            if (single is null == !result.GetValue(all))
            {
                throw new CliException(ExitCodes.Usage, "give either one ID or --all");
            }

            IReadOnlyList<string> ids = single is not null ? [QueueCommand.CheckId(single)] : [.. queue.List().Select(e => e.Id)];
            foreach (var each in ids)
            {
                if (!queue.RequestRetry(each))
                {
                    throw new CliException(ExitCodes.NoUser, $"{each}: not in the queue");
                }
            }

            await context.Output.WriteLineAsync($"retry requested for {ids.Count} message(s)");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
