using System.Diagnostics;
using System.Globalization;
using Rampart.Bench.Protocols.Clients;
using Rampart.Bench.Protocols.Reporting;
using Rampart.Bench.Protocols.Servers;

namespace Rampart.Bench.Protocols.Scenarios;

/// <summary>Work on one large mailbox (issue 3, scenarios 4–6): FETCH 1:* (FLAGS) and (ENVELOPE), SEARCH BODY for
/// a word that occurs in one message, and SELECT. Each is timed on its first run after the server started (cold:
/// Dovecot builds its index and cache files on first access, Rampart computed its metadata at delivery) and
/// again (warm, the best of two more runs).</summary>
internal static class ImapBigMailboxScenario
{
    public const string User = "big";

    public static Task SelectAsync(ScenarioContext context) =>
        TimeAsync(context, "SELECT INBOX", selectFirst: false, expectSearchHits: null);

    public static async Task FetchAsync(ScenarioContext context)
    {
        await TimeAsync(context, "FETCH 1:* (FLAGS)", selectFirst: true, expectSearchHits: null);
        await TimeAsync(context, "FETCH 1:* (ENVELOPE)", selectFirst: true, expectSearchHits: null);
    }

    public static Task SearchAsync(ScenarioContext context) =>
        TimeAsync(context, "SEARCH BODY " + SeedPlan.RareWord, selectFirst: true, expectSearchHits: 1);

    private static Task TimeAsync(ScenarioContext context, string command, bool selectFirst, int? expectSearchHits) =>
        context.CompareAsync(string.Create(CultureInfo.InvariantCulture, $"IMAP {command.Split(' ')[0]} on {context.Options.BigMailbox:#,0} messages"), async server =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            var times = new List<double>();
            for (var run = 0; run < 3; run++)
            {
                // A fresh session each run: a session's own view (and a client's) must not carry over.
                var imap = await ImapWire.ConnectAsync(server.ImapPort, timeout.Token);
                await using var connection = imap.Connection;
                await imap.LoginAsync(User, ServerUnderTest.Password, timeout.Token);
                if (selectFirst)
                {
                    await imap.CommandAsync("EXAMINE INBOX", timeout.Token);
                }

                var started = Stopwatch.GetTimestamp();
                await imap.CommandAsync(command, timeout.Token);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (expectSearchHits is { } hits && imap.LastSearch.Count != hits)
                {
                    throw new InvalidOperationException($"{server.Name}: {command} found {imap.LastSearch.Count} messages, expected {hits}");
                }

                if (command.StartsWith("FETCH", StringComparison.Ordinal) && imap.LastUntagged < context.Options.BigMailbox)
                {
                    throw new InvalidOperationException($"{server.Name}: {command} returned {imap.LastUntagged} responses for {context.Options.BigMailbox} messages");
                }

                await imap.CommandAsync("LOGOUT", timeout.Token);
            }

            return
            [
                ($"`{command}` first, ms", times[0], Better.Lower),
                ($"`{command}` warm, ms", Math.Min(times[1], times[2]), Better.Lower),
            ];
        });
}
