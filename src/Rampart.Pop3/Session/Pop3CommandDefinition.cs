using Rampart.Pop3.Commands;

namespace Rampart.Pop3.Session;

/// <summary>One row of the command table: a keyword, where it may run, and who runs it.</summary>
/// <param name="Name">The keyword, upper case.</param>
/// <param name="States">The states the command is allowed in.</param>
/// <param name="RequiresTls">True for the commands that carry credentials: refused before TLS (RFC 2595 §4, SECURITY.md S04).</param>
/// <param name="Rfc">The section that defines it, for the table test and readers.</param>
/// <param name="Handler">The handler.</param>
public sealed record Pop3CommandDefinition(string Name, Pop3State States, bool RequiresTls, string Rfc, IPop3Command Handler);
