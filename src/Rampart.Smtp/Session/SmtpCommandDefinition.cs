using Rampart.Smtp.Commands;

namespace Rampart.Smtp.Session;

/// <summary>One row of the command table: a verb, the modes that know it, and who runs it.</summary>
/// <param name="Name">The verb, upper case.</param>
/// <param name="Modes">The session kinds that accept it (others answer 500 5.5.1).</param>
/// <param name="Rfc">The section that defines it.</param>
/// <param name="Handler">The handler.</param>
public sealed record SmtpCommandDefinition(string Name, SmtpMode Modes, string Rfc, ISmtpCommand Handler);
