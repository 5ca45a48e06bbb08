namespace Rampart.Imap.Session;

/// <summary>One row of the command table: a command's name, the states it runs in, its RFC section and its handler.</summary>
/// <param name="Name">Upper-case name; UID forms are separate rows ("UID FETCH").</param>
/// <param name="States">States in which it runs; elsewhere it gets BAD (RFC 9051 §3).</param>
/// <param name="Rfc">Where it is specified, e.g. "RFC 9051 §6.4.5".</param>
/// <param name="Handler">Runs the command; it writes untagged responses and may set the tagged OK's code and text.</param>
/// <param name="DefersExpunge">RFC 9051 §7.5.1: no EXPUNGE while answering FETCH, STORE or SEARCH by sequence number.</param>
internal sealed record CommandDefinition(
    string Name,
    SessionState States,
    string Rfc,
    Func<ImapSession, ImapCommand, Task> Handler,
    bool DefersExpunge = false);
