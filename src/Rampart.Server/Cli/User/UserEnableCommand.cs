using System.CommandLine;

namespace Rampart.Server.Cli.User;

/// <summary><c>rampart user enable|disable NAME</c>: a disabled account cannot log in and receives no mail; its mail is kept.</summary>
public static class UserEnableCommand
{
    public static Command Create(RampartCli cli, bool enable)
    {
        var name = UserCommand.NameArgument();
        var command = new Command(enable ? "enable" : "disable", enable ? "Allow an account to log in and receive mail" : "Stop an account from logging in and receiving mail (its mail is kept)") { name };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var store = await context.OpenStoreAsync(create: false, cancellationToken);
            var account = await UserLookup.FindAsync(store, result.GetValue(name)!, cancellationToken);
            await store.SetAccountEnabledAsync(account.Name, enable, cancellationToken);
            await context.Output.WriteLineAsync($"{account.Name} {(enable ? "enabled" : "disabled")}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
