using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Authentication;
using System.Text;
using Rampart.Bench.Protocols.Clients;
using Rampart.Security.Guard;

namespace Rampart.Bench.Protocols.Scenarios.Security;

/// <summary>What a brute-force client sees, try by try (issue 5, "figures"): one address sends wrong passwords for an
/// existing account, reconnecting whenever the server closes the session (after 3 failures, B01), until it is refused
/// before the greeting (the ban, B05). A second address, at the same time, repeats one wrong password, which must not
/// escalate (B02). The server runs the default schedule (2 s growing ×1.5 to 15 s, ban after 20 failures in an hour);
/// with <c>--quick</c> every delay is divided by ten so the run stays short.</summary>
internal static class BruteForceScenario
{
    private const string Victim = "victim";

    public static async Task RunAsync(ScenarioContext context)
    {
        var schedule = new AuthGuardOptions();
        var settings = new Dictionary<string, string>();
        if (context.Options.Quick)
        {
            schedule.FirstDelay = TimeSpan.FromMilliseconds(200);
            schedule.MaxDelay = TimeSpan.FromMilliseconds(1500);
            settings["Security:Guard:FirstDelay"] = schedule.FirstDelay.ToString("c", CultureInfo.InvariantCulture);
            settings["Security:Guard:MaxDelay"] = schedule.MaxDelay.ToString("c", CultureInfo.InvariantCulture);
        }

        await using var security = await SecurityServer.StartAsync(context, "bruteforce", 3, [Victim], settings);
        var port = security.Server.ImapPort;
        var guessing = TriesAsync(port, SecurityServer.ClientAddress(0), context.Options.BruteForceTries, repeat: false, schedule);
        var repeating = TriesAsync(port, SecurityServer.ClientAddress(1), context.Options.RepeatTries, repeat: true, schedule);
        var metrics = await Task.WhenAll(guessing, repeating).ContinueWith(async _ =>
            await security.MetricsAsync("rampart_authentications_total", "rampart_bans_total", "rampart_connections_refused_total", "rampart_limit_hits_total")).Unwrap();

        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"### Brute force, try by try: schedule {schedule.FirstDelay.TotalSeconds:0.###} s × {schedule.DelayGrowth} up to {schedule.MaxDelay.TotalSeconds:0.###} s, {schedule.MaxFailuresPerSession} failures per session, ban after {schedule.BanThreshold} failures in {schedule.FailureWindow.TotalMinutes:0} min for {schedule.BanDuration.TotalMinutes:0} min"));
        text.AppendLine();
        text.AppendLine(Table($"Distinct wrong passwords from {SecurityServer.ClientAddress(0)}", await guessing));
        text.AppendLine(Table($"The same wrong password again and again from {SecurityServer.ClientAddress(1)} (must not escalate)", await repeating));
        text.AppendLine("The server's own counters afterwards (`/metrics`, non-zero lines):");
        text.AppendLine();
        text.AppendLine(SecurityServer.CodeBlock(metrics));
        context.Sections.Add(text.ToString());
        Console.Error.WriteLine(text.ToString());
    }

    private static string Table(string title, IReadOnlyList<Try> tries)
    {
        var text = new StringBuilder();
        text.AppendLine("#### " + title);
        text.AppendLine();
        text.AppendLine("| try | connection | at, s | scheduled delay, s | reply after, s | reply | note |");
        text.AppendLine("|---:|---:|---:|---:|---:|---|---|");
        foreach (var t in tries)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {t.Number} | {t.Connection} | {t.At:0.0} | {(t.Scheduled is { } s ? s.ToString("0.##", CultureInfo.InvariantCulture) : "–")} | {(t.Observed is { } o ? o.ToString("0.00", CultureInfo.InvariantCulture) : "–")} | `{t.Reply}` | {t.Note} |"));
        }

        return text.ToString();
    }

    private static async Task<IReadOnlyList<Try>> TriesAsync(int port, IPAddress local, int tries, bool repeat, AuthGuardOptions schedule)
    {
        var rows = new List<Try>();
        var clock = Stopwatch.StartNew();
        ImapWire? imap = null;
        var connections = 0;
        var counted = 0;
        var sessionFailures = 0;
        try
        {
            for (var n = 1; n <= tries; n++)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
                var note = "";
                if (imap is null)
                {
                    try
                    {
                        imap = await ImapWire.ConnectAsync(port, timeout.Token, local);
                        connections++;
                        sessionFailures = 0;
                        note = connections > 1 ? "new connection" : "";
                    }
                    catch (Exception e) when (e is IOException or AuthenticationException or InvalidOperationException or System.Net.Sockets.SocketException)
                    {
                        rows.Add(new Try(n, connections + 1, clock.Elapsed.TotalSeconds, null, null, "(no greeting)", "refused before the greeting: banned (" + e.GetType().Name + ")"));
                        break;
                    }
                }

                var password = repeat ? "Stale-Phone-Password-1" : "Guess-" + n.ToString(CultureInfo.InvariantCulture) + "-Xq!";
                var scheduled = schedule.DelayAfter(counted).TotalSeconds;
                var at = clock.Elapsed.TotalSeconds;
                var started = Stopwatch.GetTimestamp();
                string reply;
                try
                {
                    reply = await imap.CommandAnyAsync($"LOGIN {Victim} \"{password}\"", timeout.Token);
                }
                catch (IOException)
                {
                    reply = "(closed without a reply)";
                    await imap.Connection.DisposeAsync();
                    imap = null;
                }

                var observed = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var failed = reply.StartsWith("NO", StringComparison.Ordinal);
                if (failed)
                {
                    sessionFailures++;
                    counted = repeat ? 1 : counted + 1;
                }

                if (imap is not null && sessionFailures >= schedule.MaxFailuresPerSession)
                {
                    // After the session's last allowed failure the server says BYE and closes (B01).
                    note = Join(note, await ClosedAsync(imap) ? "server closed the session" : "session still open");
                    await imap.Connection.DisposeAsync();
                    imap = null;
                }

                if (!repeat && failed && counted == schedule.BanThreshold)
                {
                    note = Join(note, $"failure {counted}: the ban threshold");
                }
                else if (imap is null && !failed)
                {
                    note = Join(note, "the server closed the connection instead of replying");
                }

                rows.Add(new Try(n, connections, at, scheduled, observed, reply.Length > 60 ? reply[..60] + "…" : reply, note));
            }
        }
        finally
        {
            if (imap is not null)
            {
                await imap.Connection.DisposeAsync();
            }
        }

        return rows;
    }

    private static string Join(string a, string b) => a.Length == 0 ? b : a + "; " + b;

    /// <summary>True when the server closes the connection within a few seconds (reading any BYE on the way).</summary>
    private static async Task<bool> ClosedAsync(ImapWire imap)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            while (true)
            {
                await imap.Connection.ReadLineAsync(timeout.Token);
            }
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private sealed record Try(int Number, int Connection, double At, double? Scheduled, double? Observed, string Reply, string Note);
}
