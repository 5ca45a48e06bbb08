namespace Rampart.Store.Model;

/// <summary>A message's system flags and keywords. Keywords are kept in the case they were first set; comparison is case-insensitive (RFC 9051 §2.3.2).</summary>
public sealed record MessageFlags(SystemFlags System, IReadOnlyList<string> Keywords)
{
    public static MessageFlags Empty { get; } = new(SystemFlags.None, []);

    public bool Has(SystemFlags flag) => (System & flag) == flag;

    public bool HasKeyword(string keyword) => Keywords.Any(k => string.Equals(k, keyword, StringComparison.OrdinalIgnoreCase));
}
