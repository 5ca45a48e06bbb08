using Rampart.Smtp.Protocol;
using Rampart.Smtp.Session;

namespace Rampart.Smtp.Commands;

/// <summary>The handler of one SMTP/LMTP command. It writes its reply through the session; it may throw a
/// <see cref="Store.StoreException"/>, which the session answers with 451.</summary>
public interface ISmtpCommand
{
    ValueTask ExecuteAsync(SmtpSession session, SmtpCommandLine command, CancellationToken cancellationToken);
}
