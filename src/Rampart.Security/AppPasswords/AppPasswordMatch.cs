namespace Rampart.Security.AppPasswords;

/// <summary>An app password that let a login in.</summary>
/// <param name="Id">Its id (first group).</param>
/// <param name="Label">Its device label.</param>
public sealed record AppPasswordMatch(string Id, string Label);
