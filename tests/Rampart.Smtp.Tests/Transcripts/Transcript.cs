using System.Globalization;
using System.Text;

namespace Rampart.Smtp.Tests.Transcripts;

/// <summary>
/// An SMTP/LMTP protocol transcript (STYLE.md format), replayed against the real server over TCP (and TLS).
/// </summary>
/// <remarks>
/// <code>
/// # comment
/// @user NAME ADDRESS…          an account (password SmtpServer.Password) with these addresses, created before serve starts
/// @listener NAME               the listener connections use: smtp, submission, submissions (implicit TLS), lmtp
/// @connection N NAME           connection N uses another listener
/// @mailbox ACCOUNT NAME        a mailbox created over IMAP before the steps run
/// @quota ACCOUNT OPTION…        rampart user quota ACCOUNT OPTION… before serve starts (e.g. --messages 0)
/// N&gt; TEXT                      connection N sends TEXT and CRLF
/// N&gt;&gt; TEXT                     connection N sends TEXT with \r \n \t \\ \xHH escapes, nothing added, in one write
/// N&lt; EXPECTED                  connection N must receive this line; "*" at the end matches the rest,
///                              $name matches a non-space run and must match the same text later
/// N! tls                       connection N starts TLS (after the server's go-ahead)
/// N! close                     connection N hangs up
/// N! closed                    the server must close connection N now (no more lines)
/// ! count ACCOUNT MAILBOX N    the mailbox holds N messages now (read over IMAP)
/// ! has ACCOUNT MAILBOX TEXT   some message in the mailbox contains TEXT
/// </code>
/// </remarks>
public sealed class Transcript
{
    public required string Name { get; init; }

    public List<(string Name, string[] Addresses)> Users { get; } = [];

    public string Listener { get; set; } = "smtp";

    public Dictionary<int, string> ConnectionListeners { get; } = [];

    public List<(string Account, string Mailbox)> Mailboxes { get; } = [];

    public List<(string Account, string[] Options)> Quotas { get; } = [];

    public List<TranscriptStep> Steps { get; } = [];

    public static Transcript Load(string path) => Parse(Path.GetFileNameWithoutExtension(path), File.ReadAllLines(path));

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
                        transcript.Users.Add((words[1], words[2..]));
                        break;
                    case "@listener":
                        transcript.Listener = words[1];
                        break;
                    case "@connection":
                        transcript.ConnectionListeners[int.Parse(words[1], CultureInfo.InvariantCulture)] = words[2];
                        break;
                    case "@quota":
                        transcript.Quotas.Add((words[1], words[2..]));
                        break;
                    case "@mailbox":
                        transcript.Mailboxes.Add((words[1], words[2]));
                        break;
                    default:
                        throw new FormatException($"{name}:{i + 1}: unknown directive {words[0]}");
                }

                continue;
            }

            if (line.StartsWith("! ", StringComparison.Ordinal))
            {
                transcript.Steps.Add(new TranscriptStep(0, StepKind.Check, line[2..], i + 1));
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
    Check,
}

/// <summary>One step; <see cref="Text"/> for raw sends holds one char per octet (Latin-1).</summary>
public sealed record TranscriptStep(int Connection, StepKind Kind, string Text, int LineNumber);
