namespace Rampart.Store.Sqlite.Naming;

/// <summary>Validation of account login names and delivery addresses.</summary>
internal static class AccountName
{
    /// <summary>Longest login name. 64 characters: a name is typed at login and appears in logs.</summary>
    public const int MaxLength = 64;

    /// <summary>Longest address (RFC 5321 §4.5.3.1.3 path limit less the angle brackets).</summary>
    public const int MaxAddressLength = 254;

    /// <summary>Checks a login name: 1–64 ASCII letters, digits or <c>._-+@</c>. Throws InvalidName otherwise.</summary>
    public static void Validate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > MaxLength)
        {
            throw new StoreException(StoreError.InvalidName, "An account name has 1 to 64 characters.");
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-' or '+' or '@'))
            {
                throw new StoreException(StoreError.InvalidName, "An account name has only letters, digits and . _ - + @.");
            }
        }
    }

    /// <summary>Lower-cases and checks an address: printable ASCII or UTF-8 without spaces, one local part and a domain.</summary>
    public static string NormalizeAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var at = address.LastIndexOf('@');
        if (address.Length is 0 or > MaxAddressLength || at <= 0 || at == address.Length - 1)
        {
            throw new StoreException(StoreError.InvalidName, "An address is local-part@domain, at most 254 characters.");
        }

        foreach (var c in address)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c) || c is '<' or '>' or ',' or ';')
            {
                throw new StoreException(StoreError.InvalidName, "An address has no spaces, control characters or separators.");
            }
        }

        return address.ToLowerInvariant();
    }
}
