using Microsoft.Extensions.Logging;
using Rampart.Security.Credentials;
using Rampart.Security.Sasl;
using Rampart.Store;

namespace Rampart.Imap.Session;

/// <summary>The process-wide parts every session shares.</summary>
internal sealed record ImapServices(
    IMailStore Store,
    PasswordAuthenticator Passwords,
    SaslMechanismFactory Sasl,
    SaslContext SaslContext,
    ImapServerOptions Options,
    ILogger Logger);
