using System.CommandLine;
using System.Globalization;
using Rampart.Store.Model;
using Rampart.Store.Quota;

namespace Rampart.Server.Cli.User;

/// <summary>
/// <c>rampart user quota NAME [--storage SIZE|unlimited|default] [--messages N|unlimited|default]</c>: one account's
/// quota (RFC 9208 §5: STORAGE in KiB, MESSAGE count). <c>default</c> returns a resource to the server's
/// <c>Store:Quota</c>. Without options it prints the quota and the usage. The limit applies at once, to a running
/// server too; a lower limit than the usage refuses new mail (IMAP <c>NO [OVERQUOTA]</c>, LMTP 552 5.2.2) and deletes
/// nothing. Users cannot change it over IMAP (SETQUOTA is refused).
/// </summary>
public static class UserQuotaCommand
{
    public static Command Create(RampartCli cli)
    {
        var name = UserCommand.NameArgument();
        var storage = new Option<string?>("--storage")
        {
            Description = "Storage limit: KiB, or with K/M/G/T (500M = 500 MiB), unlimited, or default (the server's Store:Quota:Storage)",
            HelpName = "SIZE",
        };
        var messages = new Option<string?>("--messages")
        {
            Description = "Most messages: a number, unlimited, or default (the server's Store:Quota:Messages)",
            HelpName = "N",
        };
        var command = new Command("quota", "Show or set an account's storage and message quota") { name, storage, messages };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var store = await context.OpenStoreAsync(create: false, cancellationToken);
            var account = await UserLookup.FindAsync(store, result.GetValue(name)!, cancellationToken);
            var settings = await AccountQuotaSettings.ReadAsync(store, account.Id, cancellationToken);
            var changed = settings;
            if (result.GetValue(storage) is { } size)
            {
                changed = changed with { StorageKiB = ParseStorage(size) };
            }

            if (result.GetValue(messages) is { } count)
            {
                changed = changed with { Messages = ParseMessages(count) };
            }

            if (changed != settings)
            {
                await AccountQuotaSettings.WriteAsync(store, account.Id, changed, cancellationToken);
            }

            await using var view = await store.OpenAccountAsync(account.Name, cancellationToken);
            await context.Output.WriteLineAsync($"{account.Name}: {Describe(await view.GetQuotaAsync(cancellationToken), changed)}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The quota line of <c>user quota</c> and <c>user show</c>: each limit (and whether it is the server's),
    /// and the usage against it.</summary>
    internal static string Describe(QuotaUsage usage, AccountQuotaSettings settings)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(settings);
        var storageLimit = usage.StorageLimit is { } octets ? QuotaSize.Format(octets / 1024) : "unlimited";
        var messageLimit = usage.MessageLimit is { } most ? most.ToString(CultureInfo.InvariantCulture) : "unlimited";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"storage {(usage.StorageUsed + 1023) / 1024} KiB used of {storageLimit}{Source(settings.StorageKiB)}, messages {usage.MessagesUsed} of {messageLimit}{Source(settings.Messages)}");
    }

    internal static long? ParseStorage(string text)
    {
        if (text.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return QuotaSize.TryParse(text, out var kib)
            ? kib ?? AccountQuotaSettings.Unlimited
            : throw new CliException(ExitCodes.Usage, $"--storage {text}: use KiB, a size with K/M/G/T (500M), unlimited or default");
    }

    internal static long? ParseMessages(string text) => text.ToLowerInvariant() switch
    {
        "default" => null,
        "unlimited" => AccountQuotaSettings.Unlimited,
        _ => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw new CliException(ExitCodes.Usage, $"--messages {text}: use a number, unlimited or default"),
    };

    private static string Source(long? own) => own is null ? " (server default)" : string.Empty;
}
