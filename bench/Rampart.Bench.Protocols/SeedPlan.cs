using System.Globalization;
using System.Text;
using Rampart.Bench.Delivery.Corpus;
using Rampart.Bench.Protocols.Scenarios;

namespace Rampart.Bench.Protocols;

/// <summary>Which accounts each server gets and which corpus messages go into their INBOXes, the same for both.</summary>
internal sealed class SeedPlan
{
    /// <summary>The word SEARCH BODY looks for: it appears in exactly one message of a mailbox.</summary>
    public const string RareWord = "quokkaberry";

    public List<string> Users { get; } = [];

    public List<(IReadOnlyList<string> Users, IReadOnlyList<CorpusMessage> Messages)> Seeds { get; } = [];

    public long MessageCount => Seeds.Sum(s => (long)s.Messages.Count);

    public static SeedPlan For(BenchOptions options, CorpusGenerator corpus)
    {
        var plan = new SeedPlan();
        if (options.Scenarios.Contains("pop3"))
        {
            plan.Add([.. Pop3Scenario.Users(options)], corpus.GenerateMany(options.Pop3Messages));
        }

        if (options.Scenarios.Contains("lmtp"))
        {
            plan.Add([.. LmtpScenario.Users(options)], []);
        }

        if (options.Scenarios.Contains("imap-mixed") || options.Scenarios.Contains(BenchOptions.AbScenario))
        {
            plan.Add([.. ImapMixedScenario.Users], corpus.GenerateMany(ImapMixedScenario.MailboxSize));
        }

        if (options.Scenarios.Contains("imap-idle"))
        {
            plan.Add([ImapIdleScenario.User], corpus.GenerateMany(10));
        }

        if (options.Scenarios.Contains("imap-append"))
        {
            plan.Add([ImapAppendScenario.User], []);
        }

        if (options.Scenarios.Overlaps(["imap-fetch", "imap-search", "imap-select"]))
        {
            var big = corpus.GenerateMany(options.BigMailbox).ToArray();
            big[big.Length / 2] = RareMessage(big.Length / 2);
            plan.Add([ImapBigMailboxScenario.User], big);
        }

        return plan;
    }

    public string Describe() => string.Join("; ", Seeds.Select(s => string.Create(CultureInfo.InvariantCulture,
        $"{string.Join(",", s.Users.Count > 3 ? [s.Users[0], "…", s.Users[^1]] : s.Users)}: {s.Messages.Count:#,0} messages ({s.Messages.Sum(m => (long)m.Bytes.Length) / 1e6:0.0} MB)")));

    /// <summary>A plain message whose body holds <see cref="RareWord"/> once.</summary>
    public static CorpusMessage RareMessage(int index)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"""
            From: Ines Haddad <ines@example.org>
            To: bench@bench.rampart.test
            Subject: Tasting notes
            Date: Mon, 8 Jan 2024 12:00:00 +0000
            Message-ID: <rare.{index}@example.org>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=us-ascii

            The {RareWord} jam from the market was the best thing on the table.

            """).ReplaceLineEndings("\r\n");
        return new CorpusMessage(index, $"<rare.{index}@example.org>", MessageKind.PlainText, Encoding.ASCII.GetBytes(text));
    }

    private void Add(IReadOnlyList<string> users, IReadOnlyList<CorpusMessage> messages)
    {
        Users.AddRange(users);
        Seeds.Add((users, messages));
    }
}
