using System.CommandLine;

namespace Rampart.Server.Cli.Ban;

/// <summary><c>rampart ban remove NETWORK</c>: lifts the ban on exactly that network (as <c>ban list</c> shows it).</summary>
public static class BanRemoveCommand
{
    public static Command Create(RampartCli cli)
    {
        var network = BanCommand.NetworkArgument();
        var command = new Command("remove", "Lift a ban") { network };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var parsed = BanCommand.ParseNetwork(result.GetValue(network)!);
            var guard = BanCommand.OpenGuard(context);

            // "ban remove 192.0.2.7" also finds the automatic ban, which covers the address as a /32 (or its /64 for IPv6).
            if (!guard.Unban(parsed) && !(parsed.PrefixLength == 128 && guard.Unban(Rampart.Security.Guard.ClientNetworks.CounterKey(parsed.BaseAddress))))
            {
                throw new CliException(ExitCodes.Failure, $"no ban on {parsed} (see `rampart ban list`)");
            }

            await context.Output.WriteLineAsync($"lifted the ban on {parsed}");
            await Monitoring.ControlClient.NotifyChangedAsync(context.DataPath, "Guard:Bans", $"unban {parsed}", cancellationToken);
            await Monitoring.ControlClient.NotifyUnbannedAsync(context.DataPath, parsed, cancellationToken);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
