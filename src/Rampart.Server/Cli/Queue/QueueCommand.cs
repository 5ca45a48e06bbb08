using System.CommandLine;
using Rampart.Smtp.Queue;

namespace Rampart.Server.Cli.Queue;

/// <summary><c>rampart queue list|retry|delete</c>: the outbound queue in <c>DATA/queue</c>, shared with the running
/// server (a retry is a marker file its worker picks up within <c>Smtp:Outbound:RetryPollInterval</c>).</summary>
public static class QueueCommand
{
    public static Command Create(RampartCli cli)
    {
        var command = new Command("queue", "List, retry or delete queued outbound mail");
        command.Subcommands.Add(QueueListCommand.Create(cli));
        command.Subcommands.Add(QueueRetryCommand.Create(cli));
        command.Subcommands.Add(QueueDeleteCommand.Create(cli));
        return command;
    }

    /// <summary>The ID argument.</summary>
    internal static Argument<string> IdArgument() => new("ID") { Description = "A queue id, as `rampart queue list` shows it" };

    /// <summary>The queue of the data directory.</summary>
    internal static FileOutboundQueue Open(VerbContext context) => new(context.OpenData(create: false).Path);

    /// <summary>The id, checked for shape so that it can never name a file outside the queue.</summary>
    internal static string CheckId(string id) =>
        FileOutboundQueue.IsValidId(id) ? id : throw new CliException(ExitCodes.Usage, $"{id}: not a queue id");
}
