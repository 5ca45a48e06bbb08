using System.CommandLine;
using Rampart.Server.Accounts;
using Rampart.Server.Security;
using Rampart.Store;

namespace Rampart.Server.Cli.User;

/// <summary><c>rampart user add NAME [--password-stdin] [--address ADDR]…</c>: creates an account with its default
/// mailboxes and a password. Nothing is left half-created: a password the policy refuses stops the verb before the
/// account exists.</summary>
public static class UserAddCommand
{
    public static Command Create(RampartCli cli)
    {
        var name = UserCommand.NameArgument();
        var passwordStdin = UserCommand.PasswordStdinOption();
        var addresses = new Option<string[]>("--address") { Description = "An address or alias that delivers to this account; repeatable", HelpName = "ADDR" };
        var command = new Command("add", "Create an account") { name, passwordStdin, addresses };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var accountName = result.GetValue(name)!;
            var password = PasswordInput.Read(context, result.GetValue(passwordStdin), out var generated);
            var addressList = (result.GetValue(addresses) ?? []).Select(a => a.Trim()).ToList();
            foreach (var address in addressList)
            {
                if (!AddressRules.IsValid(address))
                {
                    throw new CliException(ExitCodes.Usage, $"--address {address}: not an address (local@domain)");
                }
            }

            var store = await context.OpenStoreAsync(create: true, cancellationToken);
            using var security = VerbSecurity.Open(context, store, create: true);

            // The policy first, so that a refused password leaves nothing behind.
            VerbSecurity.ThrowIfRefused(security.Policy.Check(password, accountName));
            Store.Model.Account account;
            try
            {
                account = await store.CreateAccountAsync(accountName, addressList, cancellationToken);
            }
            catch (StoreException e) when (e.Error == StoreError.AlreadyExists)
            {
                throw new CliException(ExitCodes.Failure, $"account {accountName} or one of its addresses already exists");
            }
            catch (StoreException e) when (e.Error == StoreError.InvalidName)
            {
                throw new CliException(ExitCodes.Usage, $"{accountName}: {e.Message}");
            }

            try
            {
                VerbSecurity.ThrowIfRefused(await security.Changer.ChangeAsync(account.Name, password, cancellationToken));
            }
            catch
            {
                // Never leave an account that exists without a password.
                await store.DeleteAccountAsync(account.Name, CancellationToken.None);
                throw;
            }

            await context.Output.WriteLineAsync($"created account {account.Name}" + (account.Addresses.Count > 0 ? $" ({string.Join(", ", account.Addresses)})" : string.Empty));
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
