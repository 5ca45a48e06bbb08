using Rampart.Security.Sasl;
using Rampart.Security.Sasl.Gssapi;
using Rampart.Server.Cli;
using Rampart.Server.Configuration;
using Rampart.Server.Monitoring;

namespace Rampart.Server.Security;

/// <summary>
/// The <c>Security:Gssapi</c> section: GSSAPI (Kerberos, RFC 4752) is offered when <c>Realm</c> is set, e.g.
/// <c>"Security": { "Gssapi": { "Realm": "EXAMPLE.COM", "Keytab": "/etc/rampart/mail.keytab",
/// "Principals": { "bob@OTHER.COM": "bob" } } }</c>.
/// </summary>
public static class GssapiSettings
{
    /// <summary>The options from the section, or null when GSSAPI is not configured (no <c>Realm</c>).</summary>
    public static GssapiOptions? Bind(ServerConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.Raw.GetSection("Security:Gssapi");
        if (section["Realm"] is not { Length: > 0 } realm)
        {
            return null;
        }

        return new GssapiOptions
        {
            Realm = realm,
            Keytab = section["Keytab"] is { Length: > 0 } keytab ? keytab : null,
            Principals = section.GetSection("Principals").GetChildren()
                .Where(c => !string.IsNullOrEmpty(c.Value))
                .ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// The SASL mechanisms the IMAP and POP3 listeners offer: the defaults, and GSSAPI when configured. Registers the
    /// keytab with the Kerberos library first (<see cref="GssapiKeytab.Register"/>): the process's acceptor reads it
    /// from there, so it is set once, before any login.
    /// </summary>
    /// <exception cref="CliException">The configured keytab does not exist, the Kerberos library refused it, or MIT
    /// Kerberos's GSS-API library is missing: a configuration error for <c>serve</c>.</exception>
    public static SaslMechanismFactory Mechanisms(GssapiOptions? options)
    {
        var defaults = SaslMechanismFactory.CreateDefault();
        if (options is null)
        {
            return defaults;
        }

        if (options.Keytab is { } keytab)
        {
            try
            {
                GssapiKeytab.Register(keytab);
            }
            catch (Exception e) when (e is FileNotFoundException or PlatformNotSupportedException or InvalidOperationException)
            {
                // serve reports it as one configuration error line, like a bad certificate.
                throw new CliException(ExitCodes.Config, "Security:Gssapi:Keytab: " + e.Message + (e is FileNotFoundException f ? " " + f.FileName : string.Empty));
            }
        }

        return defaults.With([new GssapiMechanism(options)]);
    }

    /// <summary>
    /// The <c>rampart security audit</c> line for GSSAPI: off, or on with a keytab that exists and that only its owner can
    /// read. Whoever reads the keytab has the service keys, and with them can forge a ticket for any user of the realm.
    /// </summary>
    public static SecurityCheck Check(ServerConfiguration configuration)
    {
        if (Bind(configuration) is not { } options)
        {
            return new SecurityCheck("sasl.gssapi", CheckStatus.Pass, "GSSAPI (Kerberos) is off", "", "");
        }

        var keytab = options.Keytab ?? DefaultKeytab();
        if (!File.Exists(keytab))
        {
            return new SecurityCheck("sasl.gssapi", CheckStatus.Fail, $"GSSAPI is on but the keytab {keytab} does not exist",
                "serve does not start (or, with the library's default keytab, every Kerberos login fails)", "write the mail services' keys with `kadmin ktadd -k` and set Security:Gssapi:Keytab");
        }

        // GSSAPI runs on Linux (MIT Kerberos); elsewhere there are no Unix modes to judge.
        var mode = OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(keytab);
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        return (mode & others) != 0
            ? new SecurityCheck("sasl.gssapi", CheckStatus.Fail, $"the GSSAPI keytab {keytab} can be read or written by others",
                "its service keys let anyone who reads them forge a Kerberos login as any user", $"chmod 600 {keytab}, owned by the user rampart runs as")
            : new SecurityCheck("sasl.gssapi", CheckStatus.Pass, $"GSSAPI for realm {options.Realm}, keytab {keytab} readable by its owner only", "", "");
    }

    /// <summary>Where MIT Kerberos looks without a registered keytab: <c>KRB5_KTNAME</c>, else <c>/etc/krb5.keytab</c>.</summary>
    private static string DefaultKeytab() =>
        Environment.GetEnvironmentVariable("KRB5_KTNAME") is { Length: > 0 } name
            ? (name.StartsWith("FILE:", StringComparison.Ordinal) ? name[5..] : name)
            : "/etc/krb5.keytab";
}
