using System.CommandLine;
using System.Globalization;
using System.Net;
using Rampart.Security.Guard;
using Rampart.Server.Security;

namespace Rampart.Server.Cli.Ban;

/// <summary><c>rampart ban list|add|remove</c>: the shared ban list (<c>DATA/guard/bans.json</c>) a running server
/// re-reads within seconds; banned clients are refused before the greeting (SECURITY.md B05).</summary>
public static class BanCommand
{
    public static Command Create(RampartCli cli)
    {
        var command = new Command("ban", "List, add or lift IP bans (shared with the running server)");
        command.Subcommands.Add(BanListCommand.Create(cli));
        command.Subcommands.Add(BanAddCommand.Create(cli));
        command.Subcommands.Add(BanRemoveCommand.Create(cli));
        return command;
    }

    /// <summary>The NETWORK argument: an address or CIDR network.</summary>
    internal static Argument<string> NetworkArgument() => new("NETWORK") { Description = "An IP address or CIDR network, e.g. 192.0.2.7 or 2001:db8:1:2::/64" };

    /// <summary>Parses NETWORK or fails with a usage error.</summary>
    internal static IPNetwork ParseNetwork(string text) =>
        ClientNetworks.TryParse(text, out var network)
            ? network
            : throw new CliException(ExitCodes.Usage, $"{text}: not an IP address or CIDR network (host bits after the prefix must be zero)");

    /// <summary>A guard over the data directory's ban file, with the configured trusted networks.</summary>
    internal static AuthGuard OpenGuard(VerbContext context)
    {
        var data = context.OpenData(create: false);
        var settings = SecuritySettings.Bind(context.LoadConfiguration());
        try
        {
            return new AuthGuard(settings.Guard, bans: new BanFile(SecurityServices.BansPath(data)));
        }
        catch (FormatException e)
        {
            throw new CliException(ExitCodes.Config, $"invalid configuration: {e.Message}");
        }
    }

    /// <summary>"2026-03-01 12:00:00Z" or "permanent".</summary>
    internal static string Until(BanEntry entry) =>
        entry.Until is { } until ? until.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "permanent";
}
