using System.CommandLine;
using System.Globalization;

namespace Rampart.Server.Cli.User;

/// <summary><c>rampart user list</c>: one line per account: name, state, addresses.</summary>
public static class UserListCommand
{
    public static Command Create(RampartCli cli)
    {
        var command = new Command("list", "List accounts");
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var store = await context.OpenStoreAsync(create: false, cancellationToken);
            var accounts = await store.ListAccountsAsync(cancellationToken);
            if (accounts.Count == 0)
            {
                await context.Output.WriteLineAsync("no accounts");
                return ExitCodes.Ok;
            }

            var width = Math.Max(4, accounts.Max(a => a.Name.Length));
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"NAME".PadRight(width)}  STATE     ADDRESSES"));
            foreach (var account in accounts)
            {
                var state = account.Enabled ? "enabled " : "disabled";
                await context.Output.WriteLineAsync($"{account.Name.PadRight(width)}  {state}  {string.Join(", ", account.Addresses)}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
