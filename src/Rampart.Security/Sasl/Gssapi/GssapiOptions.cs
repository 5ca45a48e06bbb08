namespace Rampart.Security.Sasl.Gssapi;

/// <summary>
/// How GSSAPI (Kerberos V5, RFC 4752) logins are accepted: the realm whose users are accounts, the service keytab,
/// and explicit principal-to-account mappings. Bound from <c>Security:Gssapi</c>; GSSAPI is offered only when
/// <see cref="Realm"/> is set.
/// </summary>
public sealed record GssapiOptions
{
    /// <summary>
    /// The Kerberos realm whose user principals are Rampart accounts (<c>alice@RAMPART.TEST</c> is the account
    /// <c>alice</c>). Realms are case-sensitive; a principal of another realm, or with an instance
    /// (<c>alice/admin@RAMPART.TEST</c>), is refused unless <see cref="Principals"/> maps it.
    /// </summary>
    public required string Realm { get; init; }

    /// <summary>
    /// The keytab holding the keys of the service principals <c>imap/HOST</c>, <c>pop/HOST</c>, <c>smtp/HOST</c>
    /// (<see cref="GssapiKeytab.Register"/>), or null for the Kerberos library's default (<c>KRB5_KTNAME</c> in the
    /// environment the process started with, else <c>/etc/krb5.keytab</c>). Every key in it is accepted, so it should
    /// hold the mail services' keys and nothing else.
    /// </summary>
    public string? Keytab { get; init; }

    /// <summary>
    /// Explicit mappings from a full principal name (<c>name[/instance]@REALM</c>, compared exactly) to an account
    /// name; they win over the <see cref="Realm"/> rule, and are the only way in for principals of other realms.
    /// </summary>
    public IReadOnlyDictionary<string, string> Principals { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The account name for an authenticated <paramref name="principal"/>, or null when the configuration does not
    /// map it (the login then fails like any other).
    /// </summary>
    public string? AccountFor(string principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (Principals.TryGetValue(principal, out var mapped))
        {
            return mapped;
        }

        var at = principal.LastIndexOf('@');
        if (at <= 0 || !string.Equals(principal[(at + 1)..], Realm, StringComparison.Ordinal))
        {
            return null;
        }

        var name = principal[..at];
        // An instance (alice/admin) is another principal with other keys: never the plain user's account. An escaped
        // '@' (an enterprise name such as alice\@example.com) could name an account by one of its addresses: refused too.
        return name.AsSpan().IndexOfAny('/', '\\', '@') >= 0 ? null : name;
    }
}
