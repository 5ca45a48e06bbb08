using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Rampart.Store;
using Rampart.Store.Model;

namespace Rampart.Server.Cli;

/// <summary><c>rampart deliver --to USER [--mailbox NAME] [--flag FLAG]… &lt; message.eml</c>: local delivery, like an
/// LDA, for other tools and tests. Exits 0 only once the message is durable; 67 for an unknown user, 65 for a
/// message refused (too big), 73 (EX_CANTCREAT, which MTAs map to 5.2.0, a mailbox status) for an account over its
/// quota, or 75 with <c>Smtp:OverQuotaTemporary</c> as LMTP answers 452; 75 for a temporary failure: an MTA retries
/// on 75 and bounces on the others.</summary>
public static class DeliverCommand
{
    public static Command Create(RampartCli cli)
    {
        var to = new Option<string>("--to") { Description = "Account name or address to deliver to", Required = true, HelpName = "USER" };
        var mailbox = new Option<string?>("--mailbox") { Description = "Mailbox to deliver into (default INBOX; INBOX when it does not exist)", HelpName = "NAME" };
        var flags = new Option<string[]>("--flag") { Description = @"Flag to set: \Seen, \Flagged, \Answered, \Draft, \Deleted or a keyword; repeatable", HelpName = "FLAG" };
        var command = new Command("deliver", "Deliver a message read from standard input into an account") { to, mailbox, flags };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var messageFlags = FlagParser.Parse(result.GetValue(flags) ?? []);
            var store = await context.OpenStoreAsync(create: false, cancellationToken);
            var recipient = result.GetValue(to)!;
            var account = await store.FindAccountAsync(recipient, cancellationToken)
                ?? throw new CliException(ExitCodes.NoUser, $"no account {recipient}");
            if (!account.Enabled)
            {
                throw new CliException(ExitCodes.NoUser, $"account {account.Name} is disabled");
            }

            var target = result.GetValue(mailbox);
            if (target is not null)
            {
                await using var view = await store.OpenAccountAsync(account.Name, cancellationToken);
                if (await view.GetMailboxAsync(target, cancellationToken) is null)
                {
                    // Like an LDA without autocreate: mail is never lost because a folder is missing.
                    await context.Error.WriteLineAsync($"rampart: mailbox {target} does not exist; delivering to INBOX");
                    target = null;
                }
            }

            var outcomes = await store.DeliverAsync(context.Input, [new DeliveryTarget(account.Name, target, messageFlags)], cancellationToken: cancellationToken);
            var outcome = outcomes[0];
            if (outcome.Error is { } error)
            {
                throw new CliException(
                    error switch
                    {
                        StoreError.OverQuota => OverQuotaExit(context),
                        StoreError.TooBig => ExitCodes.DataError,
                        StoreError.NotFound or StoreError.Disabled => ExitCodes.NoUser,
                        _ => ExitCodes.TempFail,
                    },
                    $"delivery to {account.Name} failed: {error}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Over quota: permanent (EX_CANTCREAT) unless the server answers it temporarily (<c>Smtp:OverQuotaTemporary</c>).</summary>
    private static int OverQuotaExit(VerbContext context) =>
        context.LoadConfiguration().Raw.GetValue<bool>("Smtp:OverQuotaTemporary") ? ExitCodes.TempFail : ExitCodes.CannotCreate;
}
