using System.CommandLine;
using Rampart.Server.Cli.User;
using Rampart.Server.Security;

namespace Rampart.Server.Cli;

/// <summary><c>rampart passwd NAME</c>: a user changes their own password. Standard input gives two lines, the current
/// password first, then the new one; the new one goes through the password policy (SECURITY.md "passwords").</summary>
public static class PasswdCommand
{
    public static Command Create(RampartCli cli)
    {
        var name = UserCommand.NameArgument();
        var command = new Command("passwd", "Change your own password: standard input gives the current password, then the new one") { name };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var (store, security) = await VerbSecurity.OpenAsync(context, create: false, cancellationToken);
            using var _ = security;
            var typed = result.GetValue(name)!;
            var old = context.ReadInputLine() ?? string.Empty;
            var replacement = context.ReadInputLine() ?? string.Empty;
            if (old.Length == 0 || replacement.Length == 0)
            {
                throw new CliException(ExitCodes.Usage, "standard input must give two lines: the current password, then the new one");
            }

            // The current password is verified before anything else, and an unknown name fails the same way, so the
            // verb cannot be used to find out which accounts exist.
            var account = await store.FindAccountAsync(typed, cancellationToken);
            var verified = await security.Changer.VerifyCurrentAsync(account?.Name ?? typed, old, cancellationToken);
            if (account is null || !verified)
            {
                throw new CliException(ExitCodes.Failure, "the current password is wrong");
            }

            VerbSecurity.ThrowIfRefused(await security.Changer.ChangeAsync(account.Name, replacement, cancellationToken));
            await context.Output.WriteLineAsync($"password changed for {account.Name}");
            await Monitoring.CliCredentialChange.RecordAsync(context, account.Name, "password", "changed", label: null, cancellationToken);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
