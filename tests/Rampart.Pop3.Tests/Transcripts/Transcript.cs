using System.Globalization;
using Rampart.Testing.Transcripts;

namespace Rampart.Pop3.Tests.Transcripts;

/// <summary>
/// A POP3 protocol transcript (STYLE.md format): the POP3 setup directives; the steps are read by
/// <see cref="TranscriptReader"/>.
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
/// N&gt; … N! closed               the steps (<see cref="TranscriptReader"/>); N! close also waits for the server
///                              session to end
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
        transcript.Steps.AddRange(TranscriptReader.Read(name, lines, transcript.ReadDirective));
        return transcript;
    }

    private bool ReadDirective(string[] words, Func<string> nextLine)
    {
        switch (words[0])
        {
            case "@user":
                Users.Add((words[1], words[2]));
                break;
            case "@deliver":
                var body = new List<string>();
                for (var line = nextLine(); line != "@end"; line = nextLine())
                {
                    body.Add(line);
                }

                var separator = words.Length > 2 && words[2] == "lf" ? "\n" : "\r\n";
                Deliveries.Add((words[1], string.Join(separator, body) + separator));
                break;
            case "@plaintext":
                Plaintext = true;
                break;
            case "@retention":
                Retention.Mode = Enum.Parse<Pop3RetentionMode>(words[1]);
                if (words.Length > 2)
                {
                    Retention.Days = int.Parse(words[2], CultureInfo.InvariantCulture);
                }

                break;
            case "@account":
                AccountSettings.Add((words[1], ParseSettings(words.Skip(2))));
                break;
            case "@legacy":
                Legacy = true;
                break;
            case "@max-errors":
                MaxErrors = int.Parse(words[1], CultureInfo.InvariantCulture);
                break;
            default:
                return false;
        }

        return true;
    }
}
