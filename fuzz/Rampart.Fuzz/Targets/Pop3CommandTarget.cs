using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using Rampart.Fuzz.Support;
using Rampart.Net.Reading;
using Rampart.Pop3.Protocol;

namespace Rampart.Fuzz.Targets;

/// <summary>
/// Splits the input into lines as the POP3 session does (no literals, CRLF only) and parses each with
/// <see cref="Pop3CommandLine.TryParse"/>, then every argument with <see cref="MessageNumber"/>.
/// </summary>
/// <remarks>
/// Checked promises: a parsed keyword is 1–4 upper-case ASCII letters or digits, the argument holds no control
/// character, a refusal carries a reason, the answer is the same for a line in one segment and the same line split
/// across segments, and a parsed message number is the decimal value of its text (at least 1 for
/// <see cref="MessageNumber.TryParse"/>).
/// </remarks>
internal sealed class Pop3CommandTarget : IFuzzTarget
{
    /// <summary>The line limit used here: the POP3 session's default (RFC 2449 §4: 255 octets for a command).</summary>
    public const int MaxLineLength = 255;

    public string Name => "pop3-command";

    public string Summary => "Rampart.Pop3 Pop3CommandLine.TryParse and MessageNumber over the session's line splitting";

    public void Run(ReadOnlySpan<byte> input)
    {
        var limits = new LineReaderLimits { DetectLiterals = false, MaxLineLength = MaxLineLength };
        var reader = new ProtocolReader(PipeReader.Create(new MemoryStream(input.ToArray())), limits);
        for (var round = 0; round <= input.Length + 1; round++)
        {
            var result = reader.ReadLineAsync().AsTask().GetAwaiter().GetResult();
            if (result.Status == LineReadStatus.EndOfStream)
            {
                return;
            }

            if (result.Status != LineReadStatus.Line)
            {
                if (!reader.SkipLineAsync().AsTask().GetAwaiter().GetResult())
                {
                    return;
                }

                continue;
            }

            ParseLine(result.Line.ToArray());
        }

        throw new InvariantViolationException("The reader made no progress: more results than input octets.");
    }

    private static void ParseLine(byte[] line)
    {
        var parsed = Pop3CommandLine.TryParse(new(line), out var command, out var error);
        var split = line.Length > 1 ? SplitSequence.Of(line, Math.Max(1, line.Length / 3)) : new(line);
        var parsedSplit = Pop3CommandLine.TryParse(split, out var commandSplit, out var errorSplit);
        InvariantViolationException.Check(parsed == parsedSplit && command == commandSplit && error == errorSplit, "The answer depends on how the line is segmented.");
        if (!parsed)
        {
            InvariantViolationException.Check(command is null && error.Length > 0, "A refusal without a reason, or with a command.");
            return;
        }

        InvariantViolationException.Check(command is not null, "Success without a command.");
        InvariantViolationException.Check(
            command!.Keyword.Length is >= 1 and <= Pop3CommandLine.MaxKeywordLength && command.Keyword.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)),
            "A keyword outside 1-4 upper-case letters or digits.");
        InvariantViolationException.Check(!command.Argument.Any(c => c < ' ' || c == '\x7F'), "A control character in the argument.");
        foreach (var argument in command.Arguments)
        {
            InvariantViolationException.Check(argument.Length > 0 && !argument.Contains(' ', StringComparison.Ordinal), "An empty argument or one with a space.");
            CheckNumber(argument);
        }
    }

    private static void CheckNumber(string text)
    {
        if (MessageNumber.TryParseNonNegative(text, out var value))
        {
            var expected = text.TrimStart('0') is { Length: > 0 } digits ? digits : "0";
            InvariantViolationException.Check(value.ToString(CultureInfo.InvariantCulture) == expected, "A number parsed to another value than its digits.");
        }

        if (MessageNumber.TryParse(text, out var number))
        {
            InvariantViolationException.Check(number >= 1 && number == value, "A message number below 1, or different from the non-negative parse.");
        }
    }
}
