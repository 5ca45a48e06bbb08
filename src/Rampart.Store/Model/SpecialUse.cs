namespace Rampart.Store.Model;

/// <summary>Special-use attributes of RFC 6154 §2.</summary>
[Flags]
public enum SpecialUse
{
    None = 0,
    All = 1,
    Archive = 2,
    Drafts = 4,
    Flagged = 8,
    Junk = 16,
    Sent = 32,
    Trash = 64,
}
