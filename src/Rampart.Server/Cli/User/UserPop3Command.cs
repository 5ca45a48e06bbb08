using System.CommandLine;
using System.Globalization;
using Rampart.Pop3;
using Rampart.Pop3.Accounts;

namespace Rampart.Server.Cli.User;

/// <summary>
/// <c>rampart user pop3 NAME [--retention default|keep|delete|days:N] [--enable|--disable]</c>: one account's POP3 access
/// and what happens to mail its POP3 client downloads (RFC 2449 §6.7 EXPIRE shows the client the policy in force).
/// Without options it prints the settings.
/// </summary>
public static class UserPop3Command
{
    public static Command Create(RampartCli cli)
    {
        var name = UserCommand.NameArgument();
        var retention = new Option<string?>("--retention")
        {
            Description = "default (the server's Pop3:Retention), keep (leave mail on the server), delete (delete after download) or days:N (delete downloaded mail older than N days)",
        };
        var enable = new Option<bool>("--enable") { Description = "Allow POP3 for the account (the default)" };
        var disable = new Option<bool>("--disable") { Description = "Refuse POP3 for the account: a right password then gets -ERR [SYS/PERM]" };
        var command = new Command("pop3", "Show or set an account's POP3 access and retention") { name, retention, enable, disable };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            if (result.GetValue(enable) && result.GetValue(disable))
            {
                throw new CliException(ExitCodes.Usage, "--enable and --disable exclude each other");
            }

            var store = await context.OpenStoreAsync(create: false, cancellationToken);
            var account = await UserLookup.FindAsync(store, result.GetValue(name)!, cancellationToken);
            var settings = await Pop3AccountSettings.ReadAsync(store, account.Id, cancellationToken);
            var changed = settings;
            if (result.GetValue(retention) is { } text)
            {
                changed = ParseRetention(text, changed);
            }

            if (result.GetValue(enable) || result.GetValue(disable))
            {
                changed = changed with { Enabled = result.GetValue(enable) };
            }

            if (changed != settings)
            {
                await Pop3AccountSettings.WriteAsync(store, account.Id, changed, cancellationToken);
            }

            await context.Output.WriteLineAsync(Describe(account.Name, changed));
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Reads <c>default|keep|delete|days:N</c>.</summary>
    internal static Pop3AccountSettings ParseRetention(string text, Pop3AccountSettings settings)
    {
        if (text.StartsWith("days:", StringComparison.OrdinalIgnoreCase))
        {
            return int.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= 36500
                ? settings with { RetentionMode = Pop3RetentionMode.KeepDays, RetentionDays = days }
                : throw new CliException(ExitCodes.Usage, $"--retention {text}: N must be a whole number of days from 1 to 36500");
        }

        return text.ToLowerInvariant() switch
        {
            "default" => settings with { RetentionMode = null, RetentionDays = null },
            "keep" => settings with { RetentionMode = Pop3RetentionMode.Keep, RetentionDays = null },
            "delete" => settings with { RetentionMode = Pop3RetentionMode.DeleteAfterDownload, RetentionDays = null },
            _ => throw new CliException(ExitCodes.Usage, $"--retention {text}: use default, keep, delete or days:N"),
        };
    }

    private static string Describe(string account, Pop3AccountSettings settings)
    {
        var retention = settings.RetentionMode switch
        {
            Pop3RetentionMode.Keep => "keep (EXPIRE NEVER)",
            Pop3RetentionMode.DeleteAfterDownload => "delete after download (EXPIRE 0)",
            Pop3RetentionMode.KeepDays => string.Create(CultureInfo.InvariantCulture, $"keep {settings.RetentionDays} days (EXPIRE {settings.RetentionDays})"),
            _ => "server default (Pop3:Retention)",
        };
        return $"{account}: pop3 {(settings.Enabled ? "enabled" : "disabled")}, retention {retention}, apop {(settings.Apop ? "on" : "off")}";
    }
}
