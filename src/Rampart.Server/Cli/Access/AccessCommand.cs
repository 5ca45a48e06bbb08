using System.CommandLine;
using Rampart.Security.Access;
using Rampart.Server.Cli.User;
using Rampart.Server.Security;

namespace Rampart.Server.Cli.Access;

/// <summary><c>rampart access list|allow|deny|remove [--user U] [--protocol P] [CIDR]</c>: CIDR rules. With
/// <c>--user</c> they are the account's own, checked at login with the generic failure (SECURITY.md I02); without, they
/// are server-wide (<c>DATA/guard/access.json</c>), and those without <c>--protocol</c> are checked before the greeting.</summary>
public static class AccessCommand
{
    public static Command Create(RampartCli cli)
    {
        var command = new Command("access", "Manage CIDR allow/deny rules, server-wide or per account");
        command.Subcommands.Add(CreateList(cli));
        command.Subcommands.Add(CreateChange(cli, "allow", "Allow a network (once an allow rule exists, only allowed networks get in)", AccessAction.Allow));
        command.Subcommands.Add(CreateChange(cli, "deny", "Deny a network (deny wins over allow)", AccessAction.Deny));
        command.Subcommands.Add(CreateChange(cli, "remove", "Remove the rule for a network", null));
        return command;
    }

    private static Option<string?> UserOption() => new("--user") { Description = "The account the rule is for (default: server-wide)", HelpName = "NAME" };

    private static Option<string?> ProtocolOption() => new("--protocol") { Description = "imap, pop3 or smtp (default: all)", HelpName = "P" };

    private static Command CreateList(RampartCli cli)
    {
        var user = UserOption();
        var command = new Command("list", "List the rules") { user };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var rules = await LoadAsync(context, result.GetValue(user), cancellationToken);
            if (rules.Set.Rules.Count == 0)
            {
                await context.Output.WriteLineAsync($"no rules ({rules.Scope})");
                return ExitCodes.Ok;
            }

            foreach (var rule in rules.Set.Rules)
            {
                await context.Output.WriteLineAsync($"{rule.Action.ToString().ToLowerInvariant(),-6} {rule.Network,-28} {rule.Protocol ?? "all protocols"}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command CreateChange(RampartCli cli, string name, string description, AccessAction? action)
    {
        var user = UserOption();
        var protocol = ProtocolOption();
        var network = new Argument<string>("CIDR") { Description = "An IP address or CIDR network" };
        var command = new Command(name, description) { user, protocol, network };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var userName = result.GetValue(user);
            var networkText = result.GetValue(network)!;
            var protocolText = result.GetValue(protocol);
            var changed = true;
            void Apply(AccessRuleSet set)
            {
                try
                {
                    if (action is { } a)
                    {
                        set.Add(networkText, a, protocolText);
                    }
                    else
                    {
                        changed = set.Remove(networkText, protocolText);
                    }
                }
                catch (ArgumentException e)
                {
                    throw new CliException(ExitCodes.Usage, e.Message.Split(" (Parameter", 2)[0]);
                }
            }

            string scope;
            if (userName is null)
            {
                var file = new ServerAccessRuleFile(SecurityServices.AccessPath(context.OpenData(create: false)));
                try
                {
                    file.Update(Apply);
                }
                catch (InvalidDataException e)
                {
                    throw new CliException(ExitCodes.DataError, $"{SecurityServices.AccessPath(context.OpenData(create: false))}: {e.Message}");
                }

                scope = "server-wide";
            }
            else
            {
                var (store, security) = await VerbSecurity.OpenAsync(context, create: false, cancellationToken);
                using var _ = security;
                var account = await UserLookup.FindAsync(store, userName, cancellationToken);
                var set = await security.AccessRules.LoadAsync(account.Name, cancellationToken);
                Apply(set);
                await security.AccessRules.SaveAsync(account.Name, set, cancellationToken);
                scope = account.Name;
            }

            if (!changed)
            {
                throw new CliException(ExitCodes.Failure, $"no rule for {networkText}{(protocolText is null ? string.Empty : " (" + protocolText + ")")} ({scope})");
            }

            var done = $"{(action is null ? "removed" : action.Value.ToString().ToLowerInvariant())} {networkText}{(protocolText is null ? string.Empty : " for " + protocolText.ToLowerInvariant())} ({scope})";
            await context.Output.WriteLineAsync(done);
            await Monitoring.ControlClient.NotifyChangedAsync(context.DataPath, userName is null ? "Guard:Access" : "Account:Access", done, cancellationToken);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<(AccessRuleSet Set, string Scope)> LoadAsync(VerbContext context, string? userName, CancellationToken cancellationToken)
    {
        if (userName is null)
        {
            var path = SecurityServices.AccessPath(context.OpenData(create: false));
            try
            {
                return (File.Exists(path) ? AccessRuleSet.Parse(await File.ReadAllTextAsync(path, cancellationToken)) : new AccessRuleSet(), "server-wide");
            }
            catch (InvalidDataException e)
            {
                throw new CliException(ExitCodes.DataError, $"{path}: {e.Message}");
            }
        }

        var (store, security) = await VerbSecurity.OpenAsync(context, create: false, cancellationToken);
        using var _ = security;
        var account = await UserLookup.FindAsync(store, userName, cancellationToken);
        return (await security.AccessRules.LoadAsync(account.Name, cancellationToken), account.Name);
    }
}
