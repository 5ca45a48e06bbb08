using System.CommandLine;

namespace Rampart.Server.Cli.Ban;

/// <summary><c>rampart ban list</c>: the bans in force, one a line: network, until, reason.</summary>
public static class BanListCommand
{
    public static Command Create(RampartCli cli)
    {
        var command = new Command("list", "List the bans in force");
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var guard = BanCommand.OpenGuard(context);
            IReadOnlyList<Rampart.Security.Guard.BanEntry> bans;
            try
            {
                bans = guard.ListBans();
            }
            catch (InvalidDataException e)
            {
                throw new CliException(ExitCodes.DataError, e.Message);
            }

            if (bans.Count == 0)
            {
                await context.Output.WriteLineAsync("no bans");
                return ExitCodes.Ok;
            }

            foreach (var ban in bans.OrderBy(b => b.Created))
            {
                await context.Output.WriteLineAsync($"{ban.Network,-28} until {BanCommand.Until(ban),-22} {ban.Reason}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
