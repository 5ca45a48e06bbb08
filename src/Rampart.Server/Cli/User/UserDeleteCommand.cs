using System.CommandLine;

namespace Rampart.Server.Cli.User;

/// <summary><c>rampart user delete NAME [--yes]</c>: deletes an account and all its mail, after asking.</summary>
public static class UserDeleteCommand
{
    public static Command Create(RampartCli cli)
    {
        var name = UserCommand.NameArgument();
        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation" };
        var command = new Command("delete", "Delete an account and all its mail") { name, yes };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var store = await context.OpenStoreAsync(create: false, cancellationToken);
            var account = await UserLookup.FindAsync(store, result.GetValue(name)!, cancellationToken);
            if (!result.GetValue(yes))
            {
                await context.Output.WriteAsync($"Delete account {account.Name} and all its mail? Type the account name to confirm: ");
                await context.Output.FlushAsync(cancellationToken);
                var answer = context.ReadInputLine(maxBytes: 256);
                if (!string.Equals(answer?.Trim(), account.Name, StringComparison.OrdinalIgnoreCase))
                {
                    throw new CliException(ExitCodes.Failure, "not confirmed; nothing deleted (use --yes to skip the question)");
                }
            }

            await store.DeleteAccountAsync(account.Name, cancellationToken);
            await context.Output.WriteLineAsync($"deleted account {account.Name}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
