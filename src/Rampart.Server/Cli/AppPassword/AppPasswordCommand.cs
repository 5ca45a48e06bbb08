using System.CommandLine;
using System.Globalization;
using Rampart.Server.Cli.User;
using Rampart.Server.Security;

namespace Rampart.Server.Cli.AppPassword;

/// <summary><c>rampart app-password create|list|revoke</c>: per-device passwords, the way in for IMAP, POP3 and SMTP
/// when two factors are on (SECURITY.md "two factors", F01, F02).</summary>
public static class AppPasswordCommand
{
    public static Command Create(RampartCli cli)
    {
        var command = new Command("app-password", "Create, list or revoke per-device app passwords");
        command.Subcommands.Add(CreateCreate(cli));
        command.Subcommands.Add(CreateList(cli));
        command.Subcommands.Add(CreateRevoke(cli));
        return command;
    }

    private static Command CreateCreate(RampartCli cli)
    {
        var name = UserCommand.NameArgument();
        var label = new Option<string>("--label") { Description = "The device's name, e.g. \"phone\"", HelpName = "DEVICE", Required = true };
        var protocols = new Option<string?>("--protocols") { Description = "Comma-separated: imap,pop3,smtp (default: all)", HelpName = "LIST" };
        var networks = new Option<string[]>("--network") { Description = "Only from this network (CIDR); repeatable", HelpName = "CIDR" };
        var command = new Command("create", "Create an app password; it is shown once") { name, label, protocols, networks };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var (store, security) = await VerbSecurity.OpenAsync(context, create: false, cancellationToken);
            using var _ = security;
            var account = await UserLookup.FindAsync(store, result.GetValue(name)!, cancellationToken);
            var protocolList = (result.GetValue(protocols) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            (Rampart.Security.AppPasswords.AppPasswordRecord Record, string Password) created;
            try
            {
                created = await security.AppPasswords.CreateAsync(account.Name, result.GetValue(label)!, protocolList, result.GetValue(networks) ?? [], cancellationToken);
            }
            catch (ArgumentException e)
            {
                throw new CliException(ExitCodes.Usage, e.Message.Split(" (Parameter", 2)[0]);
            }

            await context.Output.WriteLineAsync($"app password for {account.Name} on \"{created.Record.Label}\" ({Scope(created.Record)}):");
            await context.Output.WriteLineAsync($"  {created.Password}");
            await context.Output.WriteLineAsync("(shown once: it is stored only as a hash; use it instead of the account password in the mail client)");
            await Monitoring.CliCredentialChange.RecordAsync(context, account.Name, "app-password", "created", created.Record.Label, cancellationToken);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command CreateList(RampartCli cli)
    {
        var name = UserCommand.NameArgument();
        var command = new Command("list", "List an account's app passwords and their last use") { name };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var (store, security) = await VerbSecurity.OpenAsync(context, create: false, cancellationToken);
            using var _ = security;
            var account = await UserLookup.FindAsync(store, result.GetValue(name)!, cancellationToken);
            var list = await security.AppPasswords.ListAsync(account.Name, cancellationToken);
            if (list.Count == 0)
            {
                await context.Output.WriteLineAsync($"no app passwords for {account.Name}");
                return ExitCodes.Ok;
            }

            foreach (var record in list)
            {
                var lastUse = record.LastUsed is { } used
                    ? string.Create(CultureInfo.InvariantCulture, $"last used {used.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z from {record.LastAddress} over {record.LastProtocol}")
                    : "never used";
                await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{record.Label,-20} {Scope(record),-40} created {record.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, {lastUse}"));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command CreateRevoke(RampartCli cli)
    {
        var name = UserCommand.NameArgument();
        var label = new Argument<string>("LABEL") { Description = "The device label given at creation" };
        var command = new Command("revoke", "Revoke an app password; its open sessions end within 60 s") { name, label };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var (store, security) = await VerbSecurity.OpenAsync(context, create: false, cancellationToken);
            using var _ = security;
            var account = await UserLookup.FindAsync(store, result.GetValue(name)!, cancellationToken);
            var labelText = result.GetValue(label)!;
            if (!await security.AppPasswords.RevokeAsync(account.Name, labelText, cancellationToken))
            {
                throw new CliException(ExitCodes.Failure, $"{account.Name} has no app password labelled \"{labelText}\"");
            }

            await context.Output.WriteLineAsync($"revoked \"{labelText}\" of {account.Name}; its open sessions end within 60 s");
            await Monitoring.CliCredentialChange.RecordAsync(context, account.Name, "app-password", "revoked", labelText, cancellationToken);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Scope(Rampart.Security.AppPasswords.AppPasswordRecord record) =>
        (record.Protocols.Count == 0 ? "all protocols" : string.Join(",", record.Protocols))
        + (record.Networks.Count == 0 ? string.Empty : " from " + string.Join(",", record.Networks));
}
