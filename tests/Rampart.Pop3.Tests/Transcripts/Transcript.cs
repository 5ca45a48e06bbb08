using System.Globalization;
using System.Text;

namespace Rampart.Pop3.Tests.Transcripts;

/// <summary>
/// A protocol transcript (STYLE.md format): setup directives, then what each connection sends and must receive.
/// </summary>
/// <remarks>
/// <code>
/// # comment
/// @user NAME PASSWORD          an account
/// @deliver NAME [lf]           a message for NAME: the lines up to @end, joined with CRLF (LF with "lf")
/// @end
/// @plaintext                   connect to the STLS listener instead of the implicit-TLS one
/// @retention MODE [DAYS]       Pop3:Retention
/// @max-errors N                Pop3:MaxConsecutiveErrors
/// @account NAME SETTING...     per-account POP3 settings: retention=keep|delete|days:N, pop3=off, apop=on
/// @legacy                      legacy mechanisms on (APOP timestamp in the greeting, CRAM-MD5); @account apop=on
///                              accounts get their secret from their @user password
/// N&gt; TEXT                      connection N sends TEXT and CRLF
/// N&gt;&gt; TEXT                     connection N sends TEXT with \r \n \t \\ \xHH escapes, nothing added, in one write
/// N&lt; EXPECTED                  connection N must receive this line; "*" at the end matches the rest,
///                              $name matches a non-space run and must match the same text later
/// N! tls                       connection N starts TLS (after the server's go-ahead)
/// N! close                     connection N hangs up; the runner waits for the server session to end
/// N! closed                    the server must close connection N now (no more lines)
/// </code>
/// </remarks>
public sealed class Transcript
{
    public required string Name { get; init; }

    public List<(string User, string Password)> Users { get; } = [];

    public List<(string User, string Message)> Deliveries { get; } = [];

    public bool Plaintext { get; set; }

    public Pop3RetentionOptions Retention { get; } = new();

    public int? MaxErrors { get; set; }

    public List<(string User, Accounts.Pop3AccountSettings Settings)> AccountSettings { get; } = [];

    public bool Legacy { get; set; }

    public List<TranscriptStep> Steps { get; } = [];

    public static Transcript Load(string path) => Parse(Path.GetFileNameWithoutExtension(path), File.ReadAllLines(path));

    private static Accounts.Pop3AccountSettings ParseSettings(IEnumerable<string> words)
    {
        var settings = Accounts.Pop3AccountSettings.Default;
        foreach (var word in words)
        {
            settings = word switch
            {
                "retention=keep" => settings with { RetentionMode = Pop3RetentionMode.Keep },
                "retention=delete" => settings with { RetentionMode = Pop3RetentionMode.DeleteAfterDownload },
                _ when word.StartsWith("retention=days:", StringComparison.Ordinal) =>
                    settings with { RetentionMode = Pop3RetentionMode.KeepDays, RetentionDays = int.Parse(word["retention=days:".Length..], CultureInfo.InvariantCulture) },
                "pop3=off" => settings with { Enabled = false },
                "apop=on" => settings with { Apop = true },
                _ => throw new FormatException($"unknown account setting {word}"),
            };
        }

        return settings;
    }

    public static Transcript Parse(string name, IReadOnlyList<string> lines)
    {
        var transcript = new Transcript { Name = name };
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('@'))
            {
                var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                switch (words[0])
                {
                    case "@user":
                        transcript.Users.Add((words[1], words[2]));
                        break;
                    case "@deliver":
                        var body = new List<string>();
                        while (lines[++i] != "@end")
                        {
                            body.Add(lines[i]);
                        }

                        var separator = words.Length > 2 && words[2] == "lf" ? "\n" : "\r\n";
                        transcript.Deliveries.Add((words[1], string.Join(separator, body) + separator));
                        break;
                    case "@plaintext":
                        transcript.Plaintext = true;
                        break;
                    case "@retention":
                        transcript.Retention.Mode = Enum.Parse<Pop3RetentionMode>(words[1]);
                        if (words.Length > 2)
                        {
                            transcript.Retention.Days = int.Parse(words[2], CultureInfo.InvariantCulture);
                        }

                        break;
                    case "@account":
                        transcript.AccountSettings.Add((words[1], ParseSettings(words.Skip(2))));
                        break;
                    case "@legacy":
                        transcript.Legacy = true;
                        break;
                    case "@max-errors":
                        transcript.MaxErrors = int.Parse(words[1], CultureInfo.InvariantCulture);
                        break;
                    default:
                        throw new FormatException($"{name}:{i + 1}: unknown directive {words[0]}");
                }

                continue;
            }

            var digits = 0;
            while (digits < line.Length && char.IsAsciiDigit(line[digits]))
            {
                digits++;
            }

            if (digits == 0)
            {
                throw new FormatException($"{name}:{i + 1}: a step starts with a connection number");
            }

            var connection = int.Parse(line[..digits], CultureInfo.InvariantCulture);
            var rest = line[digits..];
            TranscriptStep step = rest switch
            {
                _ when rest.StartsWith(">> ", StringComparison.Ordinal) => new TranscriptStep(connection, StepKind.SendRaw, Unescape(rest[3..]), i + 1),
                _ when rest.StartsWith("> ", StringComparison.Ordinal) || rest == ">" => new TranscriptStep(connection, StepKind.Send, rest.Length > 2 ? rest[2..] : "", i + 1),
                _ when rest.StartsWith("< ", StringComparison.Ordinal) => new TranscriptStep(connection, StepKind.Expect, rest[2..], i + 1),
                "! tls" => new TranscriptStep(connection, StepKind.StartTls, "", i + 1),
                "! close" => new TranscriptStep(connection, StepKind.Close, "", i + 1),
                "! closed" => new TranscriptStep(connection, StepKind.ExpectClosed, "", i + 1),
                _ => throw new FormatException($"{name}:{i + 1}: cannot read step '{line}'"),
            };
            transcript.Steps.Add(step);
        }

        return transcript;
    }

    private static string Unescape(string text)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                builder.Append(text[i]);
                continue;
            }

            var c = text[++i];
            switch (c)
            {
                case 'r':
                    builder.Append('\r');
                    break;
                case 'n':
                    builder.Append('\n');
                    break;
                case 't':
                    builder.Append('\t');
                    break;
                case 'x':
                    builder.Append((char)int.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }
}

public enum StepKind
{
    Send,
    SendRaw,
    Expect,
    StartTls,
    Close,
    ExpectClosed,
}

/// <summary>One step; <see cref="Text"/> for raw sends holds one char per octet (Latin-1).</summary>
public sealed record TranscriptStep(int Connection, StepKind Kind, string Text, int LineNumber);
