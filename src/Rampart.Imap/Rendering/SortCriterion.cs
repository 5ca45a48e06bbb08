namespace Rampart.Imap.Rendering;

/// <summary>One SORT criterion: a key, optionally preceded by REVERSE (RFC 5256 §3).</summary>
/// <param name="Key">The key compared.</param>
/// <param name="Reverse">Whether this key's order is reversed; REVERSE applies to the one key that follows it.</param>
public readonly record struct SortCriterion(SortKey Key, bool Reverse);
