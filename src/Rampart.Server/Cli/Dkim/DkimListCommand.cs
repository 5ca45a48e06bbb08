using System.CommandLine;

namespace Rampart.Server.Cli.Dkim;

/// <summary><c>rampart dkim list</c>: every key, one a line: DNS name, algorithm, whether it signs, and its record.</summary>
public static class DkimListCommand
{
    public static Command Create(RampartCli cli)
    {
        var command = new Command("list", "List DKIM keys and their DNS records");
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var keyring = DkimCommand.OpenKeyring(context, create: false);
            var keys = keyring.List();
            if (keys.Count == 0)
            {
                await context.Output.WriteLineAsync("no DKIM keys");
                return ExitCodes.Ok;
            }

            foreach (var key in keys)
            {
                var signing = keyring.Find(key.Domain)?.Selector == key.Selector ? "signing" : "standby";
                await context.Output.WriteLineAsync($"{key.DnsName} {key.Algorithm.ToString().ToLowerInvariant()} {signing} \"{key.DnsRecord}\"");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
