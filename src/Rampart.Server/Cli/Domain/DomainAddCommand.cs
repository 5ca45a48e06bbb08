using System.CommandLine;

namespace Rampart.Server.Cli.Domain;

/// <summary><c>rampart domain add DOMAIN</c>: hosts a domain; exits 0 also when it was hosted already.</summary>
public static class DomainAddCommand
{
    public static Command Create(RampartCli cli)
    {
        var domain = DomainCommand.DomainArgument();
        var command = new Command("add", "Host a mail domain") { domain };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var ascii = DomainCommand.Parse(result.GetValue(domain)!);
            var added = DomainCommand.Change(() => DomainCommand.Open(context, create: true).Add(ascii));
            await context.Output.WriteLineAsync($"{(added ? "added" : "already hosted")}: {DomainCommand.Describe(ascii)}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
