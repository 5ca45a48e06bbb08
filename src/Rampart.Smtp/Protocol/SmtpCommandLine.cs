using System.Buffers;
using System.Text;

namespace Rampart.Smtp.Protocol;

/// <summary>One command line split into its verb and the rest (RFC 5321 §4.1.1: <c>verb [SP argument] CRLF</c>).</summary>
/// <param name="Verb">The verb, upper-cased (verbs are case-insensitive, RFC 5321 §2.4).</param>
/// <param name="Arguments">Everything after the first space, unchanged; empty when there is none.</param>
public sealed record SmtpCommandLine(string Verb, string Arguments)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Longest verb: the longest one known is 8 octets (STARTTLS); anything longer is not a verb.</summary>
    public const int MaxVerbLength = 16;

    /// <summary>Parses a line (CRLF already removed). False, with a reason for the 500/501 reply, when it is not a command.</summary>
    public static bool TryParse(ReadOnlySequence<byte> line, out SmtpCommandLine? command, out string error)
    {
        command = null;
        string text;
        try
        {
            // UTF-8 is legal in addresses under SMTPUTF8 (RFC 6531 §3.3); anything that is not UTF-8 is not a command.
            text = StrictUtf8.GetString(line);
        }
        catch (DecoderFallbackException)
        {
            error = "Command is not valid UTF-8";
            return false;
        }

        foreach (var c in text)
        {
            if (char.IsControl(c) && c != '\t')
            {
                error = "Control characters are not allowed in commands";
                return false;
            }
        }

        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var verb = space < 0 ? text : text[..space];
        if (verb.Length == 0 || verb.Length > MaxVerbLength || !verb.All(char.IsAsciiLetter))
        {
            error = "Syntax error, command unrecognized";
            return false;
        }

        command = new SmtpCommandLine(verb.ToUpperInvariant(), space < 0 ? "" : text[(space + 1)..]);
        error = "";
        return true;
    }
}
