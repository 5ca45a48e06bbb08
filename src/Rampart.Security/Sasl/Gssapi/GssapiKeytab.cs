using System.Runtime.InteropServices;

namespace Rampart.Security.Sasl.Gssapi;

/// <summary>
/// Points the process's Kerberos acceptor at a service keytab. .NET's <see cref="System.Net.Security.NegotiateAuthentication"/>
/// accepts with the GSS-API library's default credential, which MIT Kerberos takes from the <c>KRB5_KTNAME</c>
/// variable of the native environment; <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only
/// .NET's copy of the environment (checked: the acceptor then still reports unknown credentials), so the keytab is
/// registered through MIT's own call for it instead.
/// </summary>
public static class GssapiKeytab
{
    private const string Library = "libgssapi_krb5.so.2";

    /// <summary>
    /// Registers <paramref name="path"/> as the keytab of every GSS-API acceptor in this process
    /// (<c>krb5_gss_register_acceptor_identity</c>, MIT Kerberos). Call once at startup, before the first login.
    /// </summary>
    /// <exception cref="FileNotFoundException">The keytab does not exist.</exception>
    /// <exception cref="PlatformNotSupportedException">MIT's GSS-API library (Debian: libgssapi-krb5-2) is not installed.</exception>
    /// <exception cref="InvalidOperationException">The library refused the keytab.</exception>
    public static void Register(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException("The GSSAPI keytab does not exist.", full);
        }

        uint status;
        try
        {
            status = RegisterAcceptorIdentity([.. System.Text.Encoding.UTF8.GetBytes(full), 0]);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new PlatformNotSupportedException($"GSSAPI needs MIT Kerberos's {Library} (Debian package libgssapi-krb5-2).", e);
        }

        if (status != 0)
        {
            throw new InvalidOperationException($"The Kerberos library refused the keytab {full} (GSS major status {status}).");
        }
    }

    // DllImport rather than LibraryImport, whose generated stub needs unsafe code; the path goes as NUL-terminated UTF-8.
    [DllImport(Library, EntryPoint = "krb5_gss_register_acceptor_identity", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint RegisterAcceptorIdentity(byte[] path);
}
