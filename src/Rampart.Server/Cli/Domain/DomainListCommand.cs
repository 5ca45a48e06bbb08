using System.CommandLine;

namespace Rampart.Server.Cli.Domain;

/// <summary><c>rampart domain list</c>: the hosted domains, one a line, A-label then the U-label form when different.</summary>
public static class DomainListCommand
{
    public static Command Create(RampartCli cli)
    {
        var command = new Command("list", "List the hosted mail domains");
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            IReadOnlyList<string> domains;
            try
            {
                domains = DomainCommand.Open(context, create: false).List();
            }
            catch (InvalidDataException e)
            {
                throw new CliException(ExitCodes.DataError, e.Message);
            }

            if (domains.Count == 0)
            {
                await context.Output.WriteLineAsync("no domains");
            }

            foreach (var domain in domains)
            {
                await context.Output.WriteLineAsync(DomainCommand.Describe(domain));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
