using System.CommandLine;
using Rampart.Smtp.Domains;

namespace Rampart.Server.Cli.Domain;

/// <summary><c>rampart domain add|list|remove</c>: the mail domains this server hosts (<c>DATA/domains.json</c>), which
/// inbound SMTP accepts mail for; a running server sees a change on its next lookup.</summary>
public static class DomainCommand
{
    public static Command Create(RampartCli cli)
    {
        var command = new Command("domain", "Add, list or remove the mail domains this server hosts");
        command.Subcommands.Add(DomainAddCommand.Create(cli));
        command.Subcommands.Add(DomainListCommand.Create(cli));
        command.Subcommands.Add(DomainRemoveCommand.Create(cli));
        return command;
    }

    /// <summary>The DOMAIN argument.</summary>
    internal static Argument<string> DomainArgument() => new("DOMAIN") { Description = "A domain name, e.g. example.com or bücher.example (stored as its A-label)" };

    /// <summary>The domain file of the data directory.</summary>
    internal static HostedDomainFile Open(VerbContext context, bool create) => new(context.OpenData(create).Path);

    /// <summary>"xn--bcher-kva.example (bücher.example)", or the name alone when it has no U-label form.</summary>
    internal static string Describe(string ascii)
    {
        var unicode = DomainName.ToUnicode(ascii);
        return unicode == ascii ? ascii : $"{ascii} ({unicode})";
    }

    /// <summary>Runs a change to the file; a damaged file is reported as bad data, never overwritten.</summary>
    internal static bool Change(Func<bool> change)
    {
        try
        {
            return change();
        }
        catch (InvalidDataException e)
        {
            throw new CliException(ExitCodes.DataError, e.Message);
        }
    }

    /// <summary>The A-label of a DOMAIN argument, or a usage error.</summary>
    internal static string Parse(string text)
    {
        try
        {
            return DomainName.ToAscii(text);
        }
        catch (FormatException e)
        {
            throw new CliException(ExitCodes.Usage, e.Message);
        }
    }
}
