using System.Globalization;
using Rampart.Testing.Transcripts;

namespace Rampart.Smtp.Tests.Transcripts;

/// <summary>
/// An SMTP/LMTP protocol transcript (STYLE.md format), replayed against the real server over TCP (and TLS): the SMTP
/// setup directives and checks; the steps are read by <see cref="TranscriptReader"/>.
/// </summary>
/// <remarks>
/// <code>
/// # comment
/// @user NAME ADDRESS…          an account (password SmtpServer.Password) with these addresses, created before serve starts
/// @listener NAME               the listener connections use: smtp, submission, submissions (implicit TLS), lmtp
/// @connection N NAME           connection N uses another listener
/// @mailbox ACCOUNT NAME        a mailbox created over IMAP before the steps run
/// @quota ACCOUNT OPTION…        rampart user quota ACCOUNT OPTION… before serve starts (e.g. --messages 0)
/// N&gt; … N! closed               the steps (<see cref="TranscriptReader"/>)
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
        transcript.Steps.AddRange(TranscriptReader.Read(name, lines, transcript.ReadDirective, checks: true));
        return transcript;
    }

    private bool ReadDirective(string[] words, Func<string> nextLine)
    {
        switch (words[0])
        {
            case "@user":
                Users.Add((words[1], words[2..]));
                break;
            case "@listener":
                Listener = words[1];
                break;
            case "@connection":
                ConnectionListeners[int.Parse(words[1], CultureInfo.InvariantCulture)] = words[2];
                break;
            case "@quota":
                Quotas.Add((words[1], words[2..]));
                break;
            case "@mailbox":
                Mailboxes.Add((words[1], words[2]));
                break;
            default:
                return false;
        }

        return true;
    }
}
