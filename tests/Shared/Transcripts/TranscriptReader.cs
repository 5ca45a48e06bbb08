using System.Globalization;
using System.Text;

namespace Rampart.Testing.Transcripts;

/// <summary>
/// Reads the part of the STYLE.md transcript format every protocol shares: comments, the steps, and the escapes of raw
/// sends. The <c>@</c> setup directives belong to each protocol's transcript class, which reads them through a callback.
/// </summary>
/// <remarks>
/// <code>
/// # comment
/// @DIRECTIVE WORD…              read by the protocol (it may take the following lines, e.g. a block up to @end)
/// N&gt; TEXT                      connection N sends TEXT and CRLF
/// N&gt;&gt; TEXT                     connection N sends TEXT with \r \n \t \\ \xHH escapes, nothing added, in one write
/// N&lt; EXPECTED                  connection N must receive this line (see <see cref="TranscriptMatcher"/>)
/// N! tls                       connection N starts TLS (after the server's go-ahead)
/// N! close                     connection N hangs up
/// N! closed                    the server must close connection N now (no more lines)
/// ! TEXT                       a check of the server's state, only where the protocol allows checks
/// </code>
/// </remarks>
public static class TranscriptReader
{
    /// <summary>Reads <paramref name="lines"/> and returns the steps in order.</summary>
    /// <param name="name">The transcript's name, for error messages (<c>name:line</c>).</param>
    /// <param name="lines">The file's lines.</param>
    /// <param name="directive">Reads one <c>@</c> line, given its space-separated words and a function that takes the
    /// next line of the file (for a block); returns false for a directive it does not know.</param>
    /// <param name="checks">Whether <c>! TEXT</c> lines without a connection number are <see cref="StepKind.Check"/>
    /// steps; where false they are an error, like any unreadable step.</param>
    public static List<TranscriptStep> Read(string name, IReadOnlyList<string> lines, Func<string[], Func<string>, bool> directive, bool checks = false)
    {
        var steps = new List<TranscriptStep>();
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
                var start = i;
                string Next() => ++i < lines.Count ? lines[i] : throw new FormatException($"{name}:{start + 1}: {words[0]} runs past the end of the file");
                if (!directive(words, Next))
                {
                    throw new FormatException($"{name}:{start + 1}: unknown directive {words[0]}");
                }

                continue;
            }

            if (checks && line.StartsWith("! ", StringComparison.Ordinal))
            {
                steps.Add(new TranscriptStep(0, StepKind.Check, line[2..], i + 1));
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
            steps.Add(step);
        }

        return steps;
    }

    /// <summary>Undoes the escapes of a raw send: <c>\r \n \t \xHH</c>, and a backslash before any other character
    /// stands for that character. The result holds one char per octet.</summary>
    public static string Unescape(string text)
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
