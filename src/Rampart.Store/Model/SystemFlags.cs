namespace Rampart.Store.Model;

/// <summary>The system flags of RFC 9051 §2.3.2 (\Recent is per session and lives in the IMAP view, not the store).</summary>
[Flags]
public enum SystemFlags
{
    None = 0,
    Seen = 1,
    Answered = 2,
    Flagged = 4,
    Deleted = 8,
    Draft = 16,
}
