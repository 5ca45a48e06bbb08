using System.CommandLine;
using Rampart.Server.Security;

namespace Rampart.Server.Cli.User;

/// <summary><c>rampart user passwd NAME [--password-stdin]</c>: sets a new password (Argon2id hash and SCRAM keys).</summary>
public static class UserPasswdCommand
{
    public static Command Create(RampartCli cli)
    {
        var name = UserCommand.NameArgument();
        var passwordStdin = UserCommand.PasswordStdinOption();
        var command = new Command("passwd", "Set an account's password") { name, passwordStdin };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var store = await context.OpenStoreAsync(create: false, cancellationToken);
            var account = await UserLookup.FindAsync(store, result.GetValue(name)!, cancellationToken);
            var password = PasswordInput.Read(context, result.GetValue(passwordStdin), out var generated);
            using var security = VerbSecurity.Open(context, store);
            VerbSecurity.ThrowIfRefused(await security.Changer.ChangeAsync(account.Name, password, cancellationToken));
            await context.Output.WriteLineAsync($"password changed for {account.Name}");
            await Monitoring.CliCredentialChange.RecordAsync(context, account.Name, "password", "changed", label: null, cancellationToken);
            if (generated)
            {
                await context.Output.WriteLineAsync($"password: {password}");
                await context.Output.WriteLineAsync("(shown once: it is stored only as a hash)");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
