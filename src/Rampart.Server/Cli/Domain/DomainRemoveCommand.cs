using System.CommandLine;

namespace Rampart.Server.Cli.Domain;

/// <summary><c>rampart domain remove DOMAIN</c>: stops hosting a domain (accounts and their mail stay); exits 67 when
/// it was not hosted.</summary>
public static class DomainRemoveCommand
{
    public static Command Create(RampartCli cli)
    {
        var domain = DomainCommand.DomainArgument();
        var command = new Command("remove", "Stop hosting a mail domain") { domain };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var ascii = DomainCommand.Parse(result.GetValue(domain)!);
            if (!DomainCommand.Change(() => DomainCommand.Open(context, create: false).Remove(ascii)))
            {
                throw new CliException(ExitCodes.NoUser, $"{DomainCommand.Describe(ascii)} is not hosted here");
            }

            await context.Output.WriteLineAsync($"removed: {DomainCommand.Describe(ascii)}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
