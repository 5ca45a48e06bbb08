using Rampart.Imap.Protocol;
using Rampart.Store.Model;

namespace Rampart.Imap.Commands.Authenticated;

/// <summary>Special-use attribute names (RFC 6154 §2).</summary>
internal static class SpecialUses
{
    private static readonly (SpecialUse Use, string Name)[] Names =
    [
        (SpecialUse.All, "\\All"), (SpecialUse.Archive, "\\Archive"), (SpecialUse.Drafts, "\\Drafts"), (SpecialUse.Flagged, "\\Flagged"),
        (SpecialUse.Junk, "\\Junk"), (SpecialUse.Sent, "\\Sent"), (SpecialUse.Trash, "\\Trash"),
    ];

    public static SpecialUse Parse(string name)
    {
        foreach (var (use, text) in Names)
        {
            if (string.Equals(text, name, StringComparison.OrdinalIgnoreCase))
            {
                return use;
            }
        }

        throw ImapCommandException.No("USEATTR", "Unsupported special-use attribute " + name);
    }

    public static IEnumerable<string> Format(SpecialUse use) => Names.Where(n => (use & n.Use) != 0).Select(n => n.Name);
}
