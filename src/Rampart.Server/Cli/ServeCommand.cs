using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Net.Listeners;
using Rampart.Net.Tls;
using Rampart.Server.Accounts;
using Rampart.Server.Hosting;

namespace Rampart.Server.Cli;

/// <summary><c>rampart serve [--port-offset N]</c>: runs the enabled listeners until Ctrl-C or SIGTERM. On a fresh data
/// directory it creates the store, the certificate and a first account, and prints how to connect.</summary>
public static class ServeCommand
{
    /// <summary><c>--port-offset N</c>, shared with <c>config check</c>.</summary>
    public static Option<int> PortOffsetOption() => new("--port-offset")
    {
        Description = "Add N to every default port (e.g. 10000: IMAPS on 10993), so no privileges are needed",
        HelpName = "N",
    };

    public static Command Create(RampartCli cli)
    {
        var portOffset = PortOffsetOption();
        var command = new Command("serve", "Run the server") { portOffset };
        command.SetAction(cli.Action(async (context, result, cancellationToken) =>
        {
            ThreadPoolFloor.Apply();
            var configuration = context.LoadConfiguration(result.GetValue(portOffset));
            var data = context.OpenData(create: true);
            var secret = data.ReadOrCreateSecret();
            var store = await context.OpenStoreAsync(create: true, cancellationToken);
            using var host = ServerHost.Build(configuration, data, store, secret);
            try
            {
                await host.StartAsync(cancellationToken);
            }
            catch (ListenerException e)
            {
                var hint = e.Message.Contains("permission denied", StringComparison.OrdinalIgnoreCase)
                    ? Environment.NewLine + "rampart: or move every listener to an unprivileged port with --port-offset 10000"
                    : string.Empty;
                throw new CliException(ExitCodes.Unavailable, e.Message + hint);
            }
            catch (CertificateException e)
            {
                throw new CliException(ExitCodes.Config, e.Message);
            }

            try
            {
                var listeners = host.Services.GetRequiredService<ListenerService>().Listeners;
                var handlers = host.Services.GetRequiredService<ProtocolHandlers>();
                var banner = new ServeBanner(context.Output, configuration, data, listeners, handlers);
                var firstAccount = await FirstAccount.CreateIfNoneAsync(store, host.Services.GetRequiredService<AccountCredentials>(), cancellationToken);
                await banner.WriteAsync(firstAccount);
                await context.Output.FlushAsync(cancellationToken);
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C or SIGTERM, also while the banner was still being written: the host is running either way, so
                // it is always stopped below (disposing a host that was never stopped waits for its listeners forever).
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(grace.Token);
            await context.Output.WriteLineAsync("rampart stopped");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
