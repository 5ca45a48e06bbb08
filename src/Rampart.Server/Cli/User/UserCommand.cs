using System.CommandLine;

namespace Rampart.Server.Cli.User;

/// <summary><c>rampart user add|list|show|passwd|disable|enable|delete|2fa|legacy|pop3|quota</c>: account administration.</summary>
public static class UserCommand
{
    public static Command Create(RampartCli cli)
    {
        var command = new Command("user", "Manage accounts");
        command.Subcommands.Add(UserAddCommand.Create(cli));
        command.Subcommands.Add(UserListCommand.Create(cli));
        command.Subcommands.Add(UserShowCommand.Create(cli));
        command.Subcommands.Add(UserPasswdCommand.Create(cli));
        command.Subcommands.Add(UserEnableCommand.Create(cli, enable: false));
        command.Subcommands.Add(UserEnableCommand.Create(cli, enable: true));
        command.Subcommands.Add(UserDeleteCommand.Create(cli));
        command.Subcommands.Add(UserTwoFactorCommand.Create(cli));
        command.Subcommands.Add(UserLegacyCommand.Create(cli));
        command.Subcommands.Add(UserPop3Command.Create(cli));
        command.Subcommands.Add(UserQuotaCommand.Create(cli));
        return command;
    }

    /// <summary>The NAME argument every user verb takes.</summary>
    internal static Argument<string> NameArgument() => new("NAME") { Description = "Account (login) name" };

    /// <summary>The <c>--password-stdin</c> switch of add and passwd.</summary>
    internal static Option<bool> PasswordStdinOption() => new("--password-stdin")
    {
        Description = "Read the password from the first line of standard input; without it a strong password is generated and printed once",
    };
}
