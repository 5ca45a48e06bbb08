using System.CommandLine;
using Rampart.Smtp.Dkim;

namespace Rampart.Server.Cli.Dkim;

/// <summary><c>rampart dkim create|list</c>: the per-domain DKIM signing keys in <c>DATA/dkim</c> (RFC 6376) and the
/// DNS records that publish them.</summary>
public static class DkimCommand
{
    public static Command Create(RampartCli cli)
    {
        var command = new Command("dkim", "Create and list DKIM signing keys");
        command.Subcommands.Add(DkimCreateCommand.Create(cli));
        command.Subcommands.Add(DkimListCommand.Create(cli));
        return command;
    }

    /// <summary>The keyring of the data directory.</summary>
    internal static DkimKeyring OpenKeyring(VerbContext context, bool create) => new(context.OpenData(create).Path);
}
