using System.CommandLine;
using Rampart.Net.Options;

namespace Rampart.Server.Cli;

/// <summary><c>rampart config check</c>: validates the configuration and prints what would listen where.</summary>
public static class ConfigCommand
{
    public static Command Create(RampartCli cli)
    {
        var portOffset = ServeCommand.PortOffsetOption();
        var check = new Command("check", "Validate the configuration and print what would listen where") { portOffset };
        check.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            var configuration = context.LoadConfiguration(result.GetValue(portOffset));
            var output = context.Output;
            await output.WriteLineAsync($"configuration: {configuration.Source ?? "(defaults and environment only)"}");
            await output.WriteLineAsync($"data:          {Path.GetFullPath(context.DataPath)}");
            await output.WriteLineAsync($"host name:     {configuration.HostName}");
            var tls = configuration.Options.Tls;
            await output.WriteLineAsync(tls.CertificatePath is null
                ? $"certificate:   self-signed, generated in {Path.Combine(Path.GetFullPath(context.DataPath), "tls")} (configure Tls:CertificatePath and Tls:KeyPath for a real one)"
                : $"certificate:   {tls.CertificatePath} (key {tls.KeyPath})");
            await output.WriteLineAsync("listeners:");
            foreach (var listener in configuration.Listeners)
            {
                var state = listener.Enabled ? "on " : "off";
                var security = listener.Security switch
                {
                    TlsMode.Implicit => "implicit TLS",
                    TlsMode.StartTls => "STARTTLS required before login",
                    _ => "no TLS",
                };
                await output.WriteLineAsync($"  {state} {listener.Name,-12} {listener.EndPoint,-22} {security,-31} {listener.Definition.Description}");
            }

            await output.WriteLineAsync("configuration is valid");
            return ExitCodes.Ok;
        }));
        var command = new Command("config", "Configuration tools") { check };
        return command;
    }
}
