using System.CommandLine;
using System.Globalization;

namespace Rampart.Server.Cli.Ban;

/// <summary><c>rampart ban add NETWORK [--duration 1h|30m|7d] [--reason TEXT]</c>: bans a network; without
/// <c>--duration</c> the ban lasts until <c>ban remove</c>.</summary>
public static class BanAddCommand
{
    public static Command Create(RampartCli cli)
    {
        var network = BanCommand.NetworkArgument();
        var duration = new Option<string?>("--duration") { Description = "How long: 90s, 30m, 12h, 7d (default: until removed)", HelpName = "SPAN" };
        var reason = new Option<string?>("--reason") { Description = "A note for the ban list and the audit log", HelpName = "TEXT" };
        var command = new Command("add", "Ban an address or network") { network, duration, reason };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var parsed = BanCommand.ParseNetwork(result.GetValue(network)!);
            var span = result.GetValue(duration) is { } text ? ParseDuration(text) : (TimeSpan?)null;
            var note = result.GetValue(reason) is { Length: > 0 } r ? r : "admin";
            if (note.Any(char.IsControl) || note.Length > 200)
            {
                throw new CliException(ExitCodes.Usage, "--reason: at most 200 printable characters");
            }

            var guard = BanCommand.OpenGuard(context);
            if (guard.IsTrusted(parsed.BaseAddress))
            {
                await context.Error.WriteLineAsync($"rampart: warning: {parsed} is in Security:Guard:TrustedNetworks, which are never banned");
            }

            var entry = guard.Ban(parsed, span, "admin: " + note);
            await context.Output.WriteLineAsync($"banned {entry.Network} until {BanCommand.Until(entry)}");
            await Monitoring.ControlClient.NotifyChangedAsync(context.DataPath, "Guard:Bans", $"ban {entry.Network} until {BanCommand.Until(entry)}", cancellationToken);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static TimeSpan ParseDuration(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length >= 2 && long.TryParse(trimmed[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && n <= 100_000)
        {
            switch (trimmed[^1])
            {
                case 's':
                    return TimeSpan.FromSeconds(n);
                case 'm':
                    return TimeSpan.FromMinutes(n);
                case 'h':
                    return TimeSpan.FromHours(n);
                case 'd':
                    return TimeSpan.FromDays(n);
            }
        }

        throw new CliException(ExitCodes.Usage, $"--duration {text}: expected a number and s, m, h or d (e.g. 30m, 12h, 7d)");
    }
}
