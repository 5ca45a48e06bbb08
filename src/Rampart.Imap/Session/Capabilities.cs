using System.Globalization;
using Rampart.Imap.Commands.Authenticated;

namespace Rampart.Imap.Session;

/// <summary>The CAPABILITY list for a session's state (RFC 9051 §6.1.1, §7.2.2).</summary>
/// <remarks>Before TLS on a STARTTLS listener: STARTTLS and LOGINDISABLED, no AUTH= (SECURITY.md S04). After
/// login, every extension this server implements. COMPRESS=DEFLATE only after login, when an admin enabled it
/// (SECURITY.md: off by default); LITERAL- instead of LITERAL+ when configured (RFC 7888 §5).</remarks>
internal static class Capabilities
{
    private const string Base = "IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR ID ENABLE";

    private const string BaseLiteralMinus = "IMAP4rev1 IMAP4rev2 LITERAL- SASL-IR ID ENABLE";

    private static readonly string LoggedIn = string.Join(' ',
        "IDLE NAMESPACE UIDPLUS MOVE UNSELECT CHILDREN LIST-EXTENDED LIST-STATUS SPECIAL-USE CREATE-SPECIAL-USE",
        "STATUS=SIZE ESEARCH SEARCHRES WITHIN CONDSTORE QRESYNC SAVEDATE OBJECTID PREVIEW",
        "QUOTA QUOTA=RES-STORAGE QUOTA=RES-MESSAGE MULTIAPPEND UTF8=ACCEPT");

    public static string For(ImapSession session)
    {
        var @base = session.Services.Options.LiteralMinus ? BaseLiteralMinus : Base;
        if (session.State == SessionState.NotAuthenticated)
        {
            if (!session.Transport.IsTls)
            {
                return @base + (session.Transport.CanStartTls ? " STARTTLS" : string.Empty) + " LOGINDISABLED";
            }

            var mechanisms = session.Services.Sasl.GetOfferedNames(SaslContextFor(session));
            return @base + string.Concat(mechanisms.Select(m => " AUTH=" + m));
        }

        return @base + " " + LoggedIn + " APPENDLIMIT=" + AppendCommand.Limit(session).ToString(CultureInfo.InvariantCulture) + Rendering.Extras
            + (session.Services.Options.Compress ? " COMPRESS=DEFLATE" : string.Empty);
    }

    public static Rampart.Security.Sasl.SaslContext SaslContextFor(ImapSession session) => session.Services.SaslContext with
    {
        IsTls = session.Transport.IsTls,
        ChannelBinding = session.Transport.ChannelBinding,
        // SASL EXTERNAL: the TLS client certificate and the listener whose CA bundle judges it.
        ClientCertificate = session.Security?.ClientCertificate,
        ListenerName = session.Security?.ListenerName,
        RemoteAddress = session.Transport.RemoteAddress,
        // PLAIN and LOGIN then run the full login check (guard, app passwords, access rules, expiry).
        PasswordVerifier = session.Security?.Verifier ?? session.Services.SaslContext.PasswordVerifier,
    };

    /// <summary>Extensions that need the rendering pieces (SORT, THREAD, BINARY), advertised once they run.</summary>
    private static class Rendering
    {
        public const string Extras = " SORT THREAD=ORDEREDSUBJECT THREAD=REFERENCES BINARY";
    }
}
