using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace Rampart.Store.Mime;

/// <summary>Parses an address header (RFC 5322 §3.4) on bounded input: the value is cut after
/// <see cref="MimeLimits.MaxAddressesPerHeader"/> top-level commas before MimeKit sees it (SECURITY.md M06).</summary>
internal static class AddressListReader
{
    /// <summary>Parses at most <paramref name="max"/> addresses; <paramref name="cut"/> tells whether more were there.</summary>
    public static IReadOnlyList<InternetAddress> Parse(byte[]? value, int max, out bool cut)
    {
        cut = false;
        if (value is null || value.Length == 0 || max <= 0)
        {
            return [];
        }

        int length = CutAfter(value, max);
        cut = length < value.Length || value.Length >= MimeStructureReader.MaxFieldBytes;
        if (InternetAddressList.TryParse(MimeStructureReader.Options, value, 0, length, out var list))
        {
            return list.Take(max).ToList();
        }

        // One bad address must not hide the others: parse the comma-separated pieces one by one.
        var addresses = new List<InternetAddress>();
        int start = 0;
        foreach (int comma in TopLevelCommas(value, length).Append(length))
        {
            if (comma > start && InternetAddress.TryParse(MimeStructureReader.Options, value, start, comma - start, out var address))
            {
                addresses.Add(address);
            }

            start = comma + 1;
        }

        return addresses;
    }

    /// <summary>Length of the value up to (not including) the <paramref name="max"/>-th top-level comma.</summary>
    private static int CutAfter(byte[] value, int max)
    {
        int count = 0;
        foreach (int comma in TopLevelCommas(value, value.Length))
        {
            if (++count >= max)
            {
                return comma;
            }
        }

        return value.Length;
    }

    /// <summary>Commas outside quoted strings, comments and angle brackets.</summary>
    private static IEnumerable<int> TopLevelCommas(byte[] value, int length)
    {
        bool quoted = false;
        int comment = 0;
        bool angle = false;
        for (int i = 0; i < length; i++)
        {
            byte b = value[i];
            if (b == '\\' && (quoted || comment > 0))
            {
                i++;
                continue;
            }

            if (quoted)
            {
                quoted = b != '"';
                continue;
            }

            switch (b)
            {
                case (byte)'"' when comment == 0:
                    quoted = true;
                    break;
                case (byte)'(':
                    comment++;
                    break;
                case (byte)')' when comment > 0:
                    comment--;
                    break;
                case (byte)'<' when comment == 0:
                    angle = true;
                    break;
                case (byte)'>' when comment == 0:
                    angle = false;
                    break;
                case (byte)',' when comment == 0 && !angle:
                    yield return i;
                    break;
            }
        }
    }

    /// <summary>RFC 9051 §7.5.2 envelope addresses: groups as a start marker (mailbox = group name, host NIL),
    /// their members, and an end marker (all NIL); nested groups are flattened, as IMAP has no nesting.</summary>
    public static List<EnvelopeAddress> ToEnvelope(IReadOnlyList<InternetAddress> addresses)
    {
        var result = new List<EnvelopeAddress>();
        foreach (var address in addresses)
        {
            switch (address)
            {
                case MailboxAddress mailbox:
                    result.Add(ToEnvelope(mailbox));
                    break;
                case GroupAddress group:
                    result.Add(new EnvelopeAddress(null, null, Phrase(group.Name) ?? string.Empty, null));
                    foreach (var member in Mailboxes(group.Members))
                    {
                        result.Add(ToEnvelope(member));
                    }

                    result.Add(new EnvelopeAddress(null, null, null, null));
                    break;
            }
        }

        return result;
    }

    /// <summary>Every mailbox, including group members, in order.</summary>
    public static IEnumerable<MailboxAddress> Mailboxes(IEnumerable<InternetAddress> addresses)
    {
        foreach (var address in addresses)
        {
            if (address is MailboxAddress mailbox)
            {
                yield return mailbox;
            }
            else if (address is GroupAddress group)
            {
                foreach (var member in group.Members.OfType<MailboxAddress>())
                {
                    yield return member;
                }
            }
        }
    }

    /// <summary>Decoded addresses as one searchable string: "Name &lt;local@domain&gt;, …".</summary>
    public static string ToSearchText(IReadOnlyList<InternetAddress> addresses)
    {
        var text = new StringBuilder();
        foreach (var address in addresses)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            if (address is GroupAddress group)
            {
                text.Append(group.Name).Append(": ");
                text.AppendJoin(", ", Mailboxes(group.Members).Select(Describe));
                text.Append(';');
            }
            else if (address is MailboxAddress mailbox)
            {
                text.Append(Describe(mailbox));
            }
        }

        return text.ToString();
    }

    /// <summary>RFC 5957 §2: the display name of the first address (a group's name for a group), else its addr-spec.</summary>
    public static string DisplayName(IReadOnlyList<InternetAddress> addresses)
    {
        var first = addresses.Count > 0 ? addresses[0] : null;
        return first switch
        {
            GroupAddress group => group.Name ?? string.Empty,
            MailboxAddress mailbox => string.IsNullOrEmpty(mailbox.Name) ? mailbox.Address ?? string.Empty : mailbox.Name,
            _ => string.Empty,
        };
    }

    /// <summary>RFC 5256 §3: the local part of the first mailbox, lower-cased so a binary sort is case-insensitive.</summary>
    public static string SortKey(IReadOnlyList<InternetAddress> addresses) =>
        Mailboxes(addresses).FirstOrDefault()?.LocalPart?.ToLowerInvariant() ?? string.Empty;

    private static string Describe(MailboxAddress mailbox) =>
        string.IsNullOrEmpty(mailbox.Name) ? $"<{mailbox.Address}>" : $"{mailbox.Name} <{mailbox.Address}>";

    private static EnvelopeAddress ToEnvelope(MailboxAddress mailbox)
    {
        string? route = mailbox.Route.Count > 0 ? string.Join(',', mailbox.Route.Select(domain => "@" + domain)) : null;

        // A mailbox without a domain still needs a non-NIL host: NIL host means a group marker (RFC 9051 §7.5.2).
        return new EnvelopeAddress(Phrase(mailbox.Name), route, mailbox.LocalPart ?? string.Empty, mailbox.Domain ?? string.Empty);
    }

    /// <summary>A display name as ENVELOPE carries it: ASCII as it is, anything else as RFC 2047 encoded-words,
    /// so that a client without UTF8=ACCEPT can still read it.</summary>
    private static string? Phrase(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }
        else if (Ascii.IsValid(name))
        {
            return name;
        }

        return Encoding.ASCII.GetString(Rfc2047.EncodePhrase(Encoding.UTF8, name));
    }
}
