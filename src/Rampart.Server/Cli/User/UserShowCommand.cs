using System.CommandLine;
using System.Globalization;
using Rampart.Server.Accounts;

namespace Rampart.Server.Cli.User;

/// <summary><c>rampart user show NAME</c>: the account, its password age, its mailboxes with counts and its usage.</summary>
public static class UserShowCommand
{
    public static Command Create(RampartCli cli)
    {
        var name = UserCommand.NameArgument();
        var command = new Command("show", "Show an account, its mailboxes and usage") { name };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var store = await context.OpenStoreAsync(create: false, cancellationToken);
            var account = await UserLookup.FindAsync(store, result.GetValue(name)!, cancellationToken);
            var credentials = new AccountCredentials(store);
            var changed = await credentials.PasswordChangedAsync(account, cancellationToken);
            var output = context.Output;
            await output.WriteLineAsync($"account:   {account.Name}");
            await output.WriteLineAsync($"state:     {(account.Enabled ? "enabled" : "disabled")}");
            await output.WriteLineAsync($"addresses: {(account.Addresses.Count == 0 ? "(none)" : string.Join(", ", account.Addresses))}");
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"created:   {account.Created:yyyy-MM-dd HH:mm:ss}Z"));
            await output.WriteLineAsync(changed is { } at
                ? string.Create(CultureInfo.InvariantCulture, $"password:  set {at:yyyy-MM-dd HH:mm:ss}Z")
                : "password:  (none)");
            await using var view = await store.OpenAccountAsync(account.Name, cancellationToken);
            var quota = await view.GetQuotaAsync(cancellationToken);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"usage:     {quota.MessagesUsed} messages, {quota.StorageUsed} octets"));
            var quotaSettings = await Store.Quota.AccountQuotaSettings.ReadAsync(store, account.Id, cancellationToken);
            await output.WriteLineAsync($"quota:     {UserQuotaCommand.Describe(quota, quotaSettings)}");
            await output.WriteLineAsync("mailboxes:");
            foreach (var mailbox in await view.ListMailboxesAsync(cancellationToken))
            {
                var use = mailbox.SpecialUse == Store.Model.SpecialUse.None ? string.Empty : $" \\{mailbox.SpecialUse}";
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {mailbox.Name}{use}: {mailbox.Messages} messages, {mailbox.Unseen} unseen, {mailbox.Size} octets{(mailbox.Subscribed ? string.Empty : " (not subscribed)")}"));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
