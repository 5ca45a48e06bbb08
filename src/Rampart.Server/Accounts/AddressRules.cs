namespace Rampart.Server.Accounts;

/// <summary>A plain check of an address given on the command line: <c>local@domain</c>, no spaces or controls,
/// at most 254 octets (RFC 5321 §4.5.3.1.3).</summary>
public static class AddressRules
{
    public static bool IsValid(string address)
    {
        var at = address.LastIndexOf('@');
        return address.Length is > 2 and <= 254
            && at > 0 && at < address.Length - 1
            && address.IndexOf('@') == at
            && !address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"' or ',')
            && (address[(at + 1)..].Contains('.', StringComparison.Ordinal) || address[(at + 1)..] == "localhost");
    }
}
