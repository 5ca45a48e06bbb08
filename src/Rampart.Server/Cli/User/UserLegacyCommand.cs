using System.CommandLine;
using Rampart.Pop3.Accounts;
using Rampart.Server.Accounts;
using Rampart.Server.Security;

namespace Rampart.Server.Cli.User;

/// <summary>
/// <c>rampart user legacy enable|disable NAME --mechanism apop|cram-md5|all</c>: the per-account opt-in for the two
/// mechanisms that need a password-equivalent secret on the server, APOP (RFC 1939 §7) and CRAM-MD5 (RFC 2195).
/// </summary>
/// <remarks>
/// <c>enable</c> reads the account's current password from standard input, checks it against the stored hash, and keeps
/// the secret derived from it sealed with the server secret (Rampart.Security's <c>LegacySecrets</c>); it is never
/// printed, and it must be enabled again after each password change. The two mechanisms share that one secret: CRAM-MD5
/// works for any account that holds it, APOP also needs the account's APOP mark, and an APOP account logs in with APOP,
/// not USER/PASS. Neither is offered unless <c>Security:LegacyMechanisms</c> is true (SECURITY.md A09, A10).
/// </remarks>
public static class UserLegacyCommand
{
    private static readonly string[] Mechanisms = ["apop", "cram-md5", "all"];

    public static Command Create(RampartCli cli)
    {
        var command = new Command("legacy", "APOP and CRAM-MD5 for one account (they keep a password-equivalent secret)");
        command.Subcommands.Add(CreateVerb(cli, enable: true));
        command.Subcommands.Add(CreateVerb(cli, enable: false));
        return command;
    }

    private static Command CreateVerb(RampartCli cli, bool enable)
    {
        var name = UserCommand.NameArgument();
        var mechanism = new Option<string>("--mechanism")
        {
            Description = enable ? "apop or cram-md5 (or all)" : "apop, cram-md5 or all (all deletes the secret)",
            Required = true,
        };
        mechanism.AcceptOnlyFromAmong(Mechanisms);
        var command = new Command(enable ? "enable" : "disable", enable
            ? "Let the account use APOP or CRAM-MD5: reads its current password from standard input"
            : "Stop the account using APOP or CRAM-MD5") { name, mechanism };
        if (enable)
        {
            // Accepted for symmetry with `user add` and `user passwd`; the password always comes from standard input.
            command.Options.Add(UserCommand.PasswordStdinOption());
        }

        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var (store, security) = await VerbSecurity.OpenAsync(context, create: false, cancellationToken);
            using var _ = security;
            var account = await UserLookup.FindAsync(store, result.GetValue(name)!, cancellationToken);
            var which = result.GetValue(mechanism)!;
            var settings = await Pop3AccountSettings.ReadAsync(store, account.Id, cancellationToken);
            if (enable)
            {
                var password = context.ReadInputLine(maxBytes: 4096);
                if (string.IsNullOrEmpty(password))
                {
                    throw new CliException(ExitCodes.Usage, "the account's current password is read from standard input, which is empty");
                }

                // The secret must be the password the client will use, so only the current one is accepted.
                var lookup = await new AccountCredentials(store, security.Hasher).FindAsync(account.Name, cancellationToken);
                if (lookup?.Password is not { } credential || !security.Hasher.Verify(password, credential.PasswordHash))
                {
                    throw new CliException(ExitCodes.DataError, $"{account.Name}: that is not the account's current password; nothing changed");
                }

                await security.Legacy.EnableAsync(account.Name, password, cancellationToken);
                if (which is "apop" or "all")
                {
                    await Pop3AccountSettings.WriteAsync(store, account.Id, settings with { Apop = true }, cancellationToken);
                }

                await context.Output.WriteLineAsync(which switch
                {
                    "apop" => $"{account.Name}: APOP on (USER/PASS is refused for this account from now on)",
                    "cram-md5" => $"{account.Name}: CRAM-MD5 on",
                    _ => $"{account.Name}: APOP and CRAM-MD5 on",
                });
                if (!security.Settings.LegacyMechanisms)
                {
                    await context.Output.WriteLineAsync("note: Security:LegacyMechanisms is false, so the server offers neither until it is set to true");
                }

                return ExitCodes.Ok;
            }

            switch (which)
            {
                case "apop":
                    // The secret stays: CRAM-MD5 may use it. `--mechanism all` deletes it.
                    await Pop3AccountSettings.WriteAsync(store, account.Id, settings with { Apop = false }, cancellationToken);
                    await context.Output.WriteLineAsync($"{account.Name}: APOP off (the secret is kept for CRAM-MD5; `--mechanism all` deletes it)");
                    break;
                case "cram-md5" when settings.Apop:
                    throw new CliException(ExitCodes.Failure, $"{account.Name}: APOP uses the same secret; disable both with --mechanism all");
                default:
                    await security.Legacy.DisableAsync(account.Name, cancellationToken);
                    await Pop3AccountSettings.WriteAsync(store, account.Id, settings with { Apop = false }, cancellationToken);
                    await context.Output.WriteLineAsync($"{account.Name}: APOP and CRAM-MD5 off, secret deleted");
                    break;
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
