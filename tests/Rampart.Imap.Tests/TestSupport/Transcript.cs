using System.Text;
using System.Text.RegularExpressions;

namespace Rampart.Imap.Tests.TestSupport;

/// <summary>
/// A protocol transcript (STYLE.md): <c>@user NAME PASSWORD</c>, <c>@quota NAME KIB|- MESSAGES|-</c> (the account's
/// quota, <c>-</c> for unlimited), <c>@connections N</c>, <c>@transport tls|starttls</c>
/// (default: in memory and over TLS), then <c>N&gt; line</c> to send (<c>\r\n</c> inside a line sends several in one
/// packet), <c>N&lt; line</c> to expect (<c>*</c> at the end matches the rest, <c>$name</c> captures a token and is
/// substituted in later lines), <c>N&lt; &lt;closed&gt;</c> for the server closing, and <c>N! starttls</c> to start TLS
/// on the client side after the server's OK.
/// </summary>
internal sealed partial class Transcript
{
    private Transcript(string name, List<(string Name, string Password)> users, List<string> transports, List<Step> steps)
    {
        Name = name;
        Users = users;
        Transports = transports;
        Steps = steps;
    }

    public string Name { get; }

    public IReadOnlyList<(string Name, string Password)> Users { get; }

    /// <summary>Quotas set before the first connection: storage in KiB and message count, null for unlimited.</summary>
    public List<(string Name, long? StorageKiB, long? Messages)> Quotas { get; } = [];

    /// <summary>Where the transcript runs: "memory", "tls", "starttls".</summary>
    public IReadOnlyList<string> Transports { get; }

    public IReadOnlyList<Step> Steps { get; }

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Transcripts");

    public static IEnumerable<string> Files() =>
        System.IO.Directory.GetFiles(Directory, "*.txt").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static Transcript Load(string file)
    {
        var users = new List<(string, string)>();
        var quotas = new List<(string, long?, long?)>();
        var transports = new List<string>();
        var steps = new List<Step>();
        var number = 0;
        foreach (var raw in File.ReadAllLines(Path.Combine(Directory, file)))
        {
            number++;
            if (raw.Length == 0 || raw.StartsWith('#'))
            {
                continue;
            }

            if (raw.StartsWith('@'))
            {
                var parts = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                switch (parts[0])
                {
                    case "@user":
                        users.Add((parts[1], parts[2]));
                        break;
                    case "@transport":
                        transports.AddRange(parts.Skip(1));
                        break;
                    case "@connections":
                        break;
                    case "@quota":
                        quotas.Add((parts[1], parts[2] == "-" ? null : long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), parts[3] == "-" ? null : long.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture)));
                        break;
                    default:
                        throw new FormatException($"{file}:{number}: unknown directive {parts[0]}");
                }

                continue;
            }

            var match = StepPattern().Match(raw);
            if (!match.Success)
            {
                throw new FormatException($"{file}:{number}: not a transcript line: {raw}");
            }

            steps.Add(new Step(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Value[0], match.Groups[3].Value, number));
        }

        if (transports.Count == 0)
        {
            transports.AddRange(["memory", "tls"]);
        }

        var transcript = new Transcript(file, users, transports, steps);
        transcript.Quotas.AddRange(quotas);
        return transcript;
    }

    /// <summary>Runs the transcript; <paramref name="connect"/> opens connection N.</summary>
    public async Task RunAsync(Func<Task<LineClient>> connect)
    {
        var clients = new Dictionary<int, LineClient>();
        var captures = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var step in Steps)
            {
                if (!clients.TryGetValue(step.Connection, out var client))
                {
                    client = await connect();
                    clients[step.Connection] = client;
                    var greeting = await client.ReadLineAsync();
                    if (greeting is null || !greeting.StartsWith("* OK ", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"{Name}: connection {step.Connection}: bad greeting {greeting}");
                    }
                }

                var text = Substitute(step.Text, captures);
                switch (step.Kind)
                {
                    case '>':
                        await client.SendAsync(text.Replace("\\r\\n", "\r\n", StringComparison.Ordinal) + "\r\n");
                        break;
                    case '!':
                        await client.StartTlsAsync();
                        break;
                    default:
                        var line = await client.ReadLineAsync();
                        if (step.Text == "<closed>")
                        {
                            Assert.True(line is null, $"{Name}:{step.Line}: expected the server to close, got: {line}");
                            break;
                        }

                        Assert.True(line is not null, $"{Name}:{step.Line}: connection closed, expected: {text}");
                        if (!Matches(step.Text, line!, captures))
                        {
                            Assert.Fail($"{Name}:{step.Line}: expected\n  {text}\ngot\n  {line}");
                        }

                        break;
                }
            }
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static string Substitute(string text, Dictionary<string, string> captures) =>
        CapturePattern().Replace(text, m => captures.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    /// <summary>Matches a line: <c>*</c> is a wildcard anywhere but at the start (the untagged marker) and after a
    /// backslash (<c>\*</c> is the flag); <c>$name</c> captures or substitutes a token.</summary>
    private static bool Matches(string expected, string actual, Dictionary<string, string> captures)
    {
        var pattern = new StringBuilder("^");
        var names = new List<string>();
        for (var i = 0; i < expected.Length; i++)
        {
            var c = expected[i];
            if (c == '*' && i > 0 && expected[i - 1] != '\\')
            {
                pattern.Append(i == expected.Length - 1 ? ".*" : ".*?");
                continue;
            }

            if (c == '$' && i + 1 < expected.Length && char.IsAsciiLetter(expected[i + 1]))
            {
                var end = i + 1;
                while (end < expected.Length && (char.IsAsciiLetterOrDigit(expected[end]) || expected[end] == '_'))
                {
                    end++;
                }

                var name = expected[(i + 1)..end];
                if (captures.TryGetValue(name, out var known))
                {
                    pattern.Append(Regex.Escape(known));
                }
                else if (names.Contains(name))
                {
                    pattern.Append("\\k<").Append(name).Append('>');
                }
                else
                {
                    pattern.Append("(?<").Append(name).Append(">[^\\s\\)\\]]+)");
                    names.Add(name);
                }

                i = end - 1;
                continue;
            }

            pattern.Append(Regex.Escape(c.ToString()));
        }

        var match = Regex.Match(actual, pattern.Append('$').ToString(), RegexOptions.Singleline);
        if (!match.Success)
        {
            return false;
        }

        foreach (var name in names)
        {
            captures[name] = match.Groups[name].Value;
        }

        return true;
    }

    [GeneratedRegex(@"^(\d+)([<>!]) ?(.*)$")]
    private static partial Regex StepPattern();

    [GeneratedRegex(@"\$([A-Za-z][A-Za-z0-9_]*)")]
    private static partial Regex CapturePattern();

    internal sealed record Step(int Connection, char Kind, string Text, int Line);
}
