using System.Text;

namespace Rampart.Store.Sqlite.Naming;

/// <summary>Validation and normalisation of mailbox names: UTF-8, <c>/</c> as the hierarchy separator, INBOX
/// case-insensitive (RFC 9051 §5.1). Names are refused rather than repaired, so a client sees exactly what it asked for.</summary>
internal static class MailboxName
{
    public const string Inbox = "INBOX";

    public const char Separator = '/';

    /// <summary>Longest name in UTF-8 octets. 1000: deep enough for any real hierarchy, small enough to bound LIST output.</summary>
    public const int MaxOctets = 1000;

    /// <summary>Checks a name and returns its canonical form (a leading INBOX component in upper case).</summary>
    /// <exception cref="StoreException">InvalidName for empty names or components, leading or trailing <c>/</c>,
    /// control characters, LIST wildcards, <c>.</c>/<c>..</c> components, broken UTF-16 or more than 1000 octets (M08).</exception>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            throw Invalid("A mailbox name cannot be empty.");
        }

        int octets;
        try
        {
            octets = new UTF8Encoding(false, true).GetByteCount(name);
        }
        catch (EncoderFallbackException)
        {
            throw Invalid("A mailbox name must be valid Unicode.");
        }

        if (octets > MaxOctets)
        {
            throw Invalid("A mailbox name is at most 1000 octets.");
        }

        foreach (var c in name)
        {
            // RFC 9051 §5.1: % and * are LIST wildcards; control characters never belong in a name.
            if (char.IsControl(c) || c is '%' or '*' || c == '\u2028' || c == '\u2029')
            {
                throw Invalid("A mailbox name has no control characters, % or *.");
            }
        }

        var parts = name.Split(Separator);
        foreach (var part in parts)
        {
            if (part.Length == 0)
            {
                throw Invalid("A mailbox name has no empty components and no leading or trailing /.");
            }

            // Path-like components would let a name climb the hierarchy in a client or an export.
            if (part is "." or ".." || part.Trim().Length == 0)
            {
                throw Invalid("A mailbox name component cannot be '.', '..' or blank.");
            }
        }

        if (string.Equals(parts[0], Inbox, StringComparison.OrdinalIgnoreCase))
        {
            parts[0] = Inbox;
        }

        return string.Join(Separator, parts);
    }

    /// <summary>The parents of a canonical name, outermost first: <c>a/b/c</c> → <c>a</c>, <c>a/b</c>.</summary>
    public static IEnumerable<string> Parents(string name)
    {
        for (var i = name.IndexOf(Separator, StringComparison.Ordinal); i > 0; i = name.IndexOf(Separator, i + 1))
        {
            yield return name[..i];
        }
    }

    public static bool IsInbox(string canonicalName) => canonicalName == Inbox;

    private static StoreException Invalid(string message) => new(StoreError.InvalidName, message);
}
