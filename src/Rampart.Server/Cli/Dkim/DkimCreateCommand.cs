using System.CommandLine;
using Rampart.Smtp.Dkim;

namespace Rampart.Server.Cli.Dkim;

/// <summary><c>rampart dkim create DOMAIN [--selector S] [--algorithm rsa|ed25519] [--force]</c>: generates a key and
/// prints the TXT record to publish. It refuses to replace an existing key unless told to: the published record would
/// stop matching.</summary>
public static class DkimCreateCommand
{
    public static Command Create(RampartCli cli)
    {
        var domain = new Argument<string>("DOMAIN") { Description = "The signing domain, e.g. example.com" };
        var selector = new Option<string?>("--selector") { Description = "The selector (default rampartYYYYMM)" };
        var algorithm = new Option<string>("--algorithm") { Description = "rsa (2048 bits, default) or ed25519", DefaultValueFactory = _ => "rsa" };
        var force = new Option<bool>("--force") { Description = "Replace an existing key with the same selector" };
        var command = new Command("create", "Create a DKIM key for DOMAIN and print its DNS record") { domain, selector, algorithm, force };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var kind = result.GetValue(algorithm)?.ToLowerInvariant() switch
            {
                "rsa" => DkimKeyAlgorithm.Rsa,
                "ed25519" => DkimKeyAlgorithm.Ed25519,
                var other => throw new CliException(ExitCodes.Usage, $"--algorithm {other}: use rsa or ed25519"),
            };
            var keyring = DkimCommand.OpenKeyring(context, create: true);
            DkimKey key;
            try
            {
                key = keyring.Create(result.GetValue(domain)!, result.GetValue(selector) ?? DkimKeyring.DefaultSelector(DateTimeOffset.UtcNow),
                    kind, overwrite: result.GetValue(force));
            }
            catch (ArgumentException e)
            {
                throw new CliException(ExitCodes.Usage, e.Message);
            }
            catch (IOException e)
            {
                throw new CliException(ExitCodes.CannotCreate, e.Message + " (use --force to replace it)");
            }

            await context.Output.WriteLineAsync($"created {key.Path}");
            await context.Output.WriteLineAsync("publish this DNS record:");
            await context.Output.WriteLineAsync(key.ZoneFileLine);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
