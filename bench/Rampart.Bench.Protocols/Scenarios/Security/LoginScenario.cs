using System.Diagnostics;
using System.Globalization;
using System.Text;
using Rampart.Bench.Protocols.Clients;
using Rampart.Bench.Protocols.Reporting;
using Rampart.Bench.Protocols.Servers;

namespace Rampart.Bench.Protocols.Scenarios.Security;

/// <summary>Logins per second over IMAPS (issue 5, "figures"): each client connects (TLS), sends LOGIN with the right
/// password, LOGOUT, and again, for the run's duration. Cold: the verified-login cache is off
/// (<c>Security:LoginCacheTtl=0</c>), so every LOGIN runs Argon2id with the parameters <c>rampart user add</c> stored
/// (the production ones). Warm: the cache is on (its default 5 minutes) and primed by one login per client, so every
/// timed LOGIN is a cache hit. Each client has its own account.</summary>
internal static class LoginScenario
{
    public static async Task RunAsync(ScenarioContext context, bool cold)
    {
        var users = Enumerable.Range(0, context.Options.LoginClients.Max()).Select(i => "login" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var settings = new Dictionary<string, string>();
        if (cold)
        {
            settings["Security:LoginCacheTtl"] = "00:00:00";
        }

        await using var security = await SecurityServer.StartAsync(context, cold ? "login-cold" : "login-warm", cold ? 1 : 2, users, settings);
        var server = security.Server;
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"### Logins over IMAPS, {(cold ? "cold (cache off: Argon2id every time)" : "warm (verified-login cache hit)")}");
        table.AppendLine();
        table.AppendLine("| clients | logins/s | LOGIN p50, ms | LOGIN p99, ms | logins | server CPU per login, ms | server CPU, % of one core |");
        table.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var clients in context.Options.LoginClients)
        {
            if (!cold)
            {
                // One login per client fills the cache; the timed ones that follow are hits.
                await Task.WhenAll(users.Take(clients).Select(u => LoginOnceAsync(server, u, new Latencies())));
            }

            Console.Error.WriteLine($"  login {(cold ? "cold" : "warm")}, {clients} clients…");
            var latencies = new Latencies();
            var failures = 0;
            var cpuBefore = server.CpuSeconds();
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
            {
                while (clock.Elapsed < context.Options.Duration)
                {
                    try
                    {
                        await LoginOnceAsync(server, users[c], latencies);
                    }
                    catch (Exception e) when (e is InvalidOperationException or IOException or System.Security.Authentication.AuthenticationException)
                    {
                        if (Interlocked.Increment(ref failures) <= 3)
                        {
                            Console.Error.WriteLine("    login failed: " + e.Message);
                        }
                    }
                }
            }));
            clock.Stop();
            var cpu = server.CpuSeconds() - cpuBefore;
            var count = latencies.Count;
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {clients} | {count / clock.Elapsed.TotalSeconds:0.0} | {latencies.Percentile(50):0.0} | {latencies.Percentile(99):0.0} | {count:#,0}{(failures > 0 ? $" ({failures} failed)" : "")} | {(count == 0 ? double.NaN : cpu * 1000 / count):0.0} | {cpu / clock.Elapsed.TotalSeconds * 100:0} |"));
        }

        context.Sections.Add(table.ToString());
        Console.Error.WriteLine(table.ToString());
    }

    private static async Task LoginOnceAsync(ServerUnderTest server, string user, Latencies latencies)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var imap = await ImapWire.ConnectAsync(server.ImapPort, timeout.Token);
        await using var _ = imap.Connection;
        var started = Stopwatch.GetTimestamp();
        await imap.LoginAsync(user, ServerUnderTest.Password, timeout.Token);
        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        await imap.CommandAsync("LOGOUT", timeout.Token);
    }
}
