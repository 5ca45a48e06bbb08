namespace Rampart.Imap.Protocol;

/// <summary>Mailbox names at the protocol edge: the store's UTF-8 names with <c>/</c> as separator, mUTF-7
/// for rev1 clients (RFC 3501 §5.1.3), and the checks that keep a name to one meaning (SECURITY.md M08).</summary>
internal static class MailboxName
{
    public const char Separator = '/';

    /// <summary>Longest name accepted, in UTF-16 units. Default 1000: far beyond any real folder path, and it
    /// bounds LIST pattern matching.</summary>
    public const int MaxLength = 1000;

    /// <summary>Decodes a name as sent: UTF-8 (rev2/UTF8=ACCEPT) or strict mUTF-7; INBOX is case-insensitive.</summary>
    public static string FromWire(byte[] bytes, bool utf8)
    {
        var text = ArgumentReader.Decode(bytes);
        if (!utf8)
        {
            if (!ModifiedUtf7.TryDecode(text, out var decoded))
            {
                throw ImapCommandException.Syntax("Mailbox name is not valid modified UTF-7");
            }

            text = decoded;
        }

        return Normalize(text);
    }

    /// <summary>The name as sent to a client.</summary>
    public static string ToWire(string name, bool utf8) => utf8 ? name : ModifiedUtf7.Encode(name);

    /// <summary>INBOX (any case) as a first segment becomes "INBOX"; a trailing separator is dropped (RFC 9051 §6.3.4).</summary>
    public static string Normalize(string name)
    {
        if (name.Length > 1 && name[^1] == Separator)
        {
            name = name[..^1];
        }

        if (name.Length >= 5 && name.StartsWith("INBOX", StringComparison.OrdinalIgnoreCase) && (name.Length == 5 || name[5] == Separator))
        {
            name = "INBOX" + name[5..];
        }

        return name;
    }

    /// <summary>Refuses names that could mean something else: empty segments, <c>.</c>/<c>..</c>, control
    /// characters, and names over <see cref="MaxLength"/>. NO [CANNOT], state unchanged.</summary>
    public static void Validate(string name)
    {
        if (name.Length == 0 || name.Length > MaxLength)
        {
            throw ImapCommandException.No("CANNOT", "Invalid mailbox name");
        }

        foreach (var segment in name.Split(Separator))
        {
            if (segment.Length == 0 || segment is "." or "..")
            {
                throw ImapCommandException.No("CANNOT", "Invalid mailbox name");
            }

            foreach (var c in segment)
            {
                if (char.IsControl(c) || c is '*' or '%')
                {
                    throw ImapCommandException.No("CANNOT", "Invalid mailbox name");
                }
            }
        }
    }
}
