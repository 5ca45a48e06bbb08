using System.Text;

namespace Rampart.Imap.Rendering;

/// <summary>A parsed <c>section-spec</c>, the text between the brackets of <c>BODY[…]</c>, <c>BODY.PEEK[…]</c> and
/// <c>BINARY[…]</c> (RFC 9051 §6.4.5 and §9, RFC 3501 §6.4.5).</summary>
/// <remarks>
/// Grammar: <c>section-spec = section-msgtext / (section-part ["." section-text])</c>, <c>section-msgtext = "HEADER" /
/// "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"</c>, <c>section-part = nz-number *("." nz-number)</c>,
/// <c>section-text = section-msgtext / "MIME"</c>. Keywords are case-insensitive. Field names are atoms or quoted
/// strings; Rampart accepts only names a header can carry (RFC 5322 §3.6.8 <c>ftext</c>: printable ASCII but
/// colon), since no other name can match, and no literals inside the brackets. Hostile input is bounded by
/// <see cref="MaxPartDepth"/>, <see cref="MaxFields"/> and <see cref="MaxFieldNameLength"/>.
/// </remarks>
public sealed class SectionSpec
{
    /// <summary>Most part numbers in one specifier: 100, the store's default MIME depth (no deeper part exists).</summary>
    public const int MaxPartDepth = 100;

    /// <summary>Most field names in one HEADER.FIELDS list: 1,000; real clients ask for a dozen.</summary>
    public const int MaxFields = 1000;

    /// <summary>Longest field name: 998 octets, the longest line RFC 5322 §2.1.1 allows.</summary>
    public const int MaxFieldNameLength = 998;

    private static readonly SectionSpec WholeMessage = new([], SectionKind.Full, []);

    private SectionSpec(int[] part, SectionKind kind, string[] fields)
    {
        Part = part;
        Kind = kind;
        Fields = fields;
    }

    /// <summary>Part numbers, each ≥ 1; empty for the message itself.</summary>
    public int[] Part { get; }

    /// <summary>What is selected in the addressed part.</summary>
    public SectionKind Kind { get; }

    /// <summary>Field names for <see cref="SectionKind.HeaderFields"/> and <see cref="SectionKind.HeaderFieldsNot"/>,
    /// upper-case, duplicates removed, in request order; empty otherwise.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>Whether the specifier is empty (<c>BODY[]</c>).</summary>
    public bool IsWholeMessage => Part.Length == 0 && Kind == SectionKind.Full;

    /// <summary>The empty specifier, the whole message.</summary>
    public static SectionSpec Empty => WholeMessage;

    /// <summary>Parses the octets between <c>[</c> and <c>]</c>. Returns false for anything the grammar rejects or
    /// that exceeds a bound (the command then fails with BAD).</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out SectionSpec spec)
    {
        spec = WholeMessage;
        if (text.IsEmpty)
        {
            return true;
        }

        var part = new List<int>();
        int at = 0;
        while (at < text.Length && IsDigit(text[at]))
        {
            if (part.Count == MaxPartDepth || !TryNumber(text, ref at, out int number))
            {
                return false;
            }

            part.Add(number);
            if (at == text.Length)
            {
                spec = new SectionSpec([.. part], SectionKind.Full, []);
                return true;
            }

            if (text[at] != '.')
            {
                return false;
            }

            at++;
        }

        if (part.Count > 0 && at == text.Length)
        {
            return false; // "1." has a dot and nothing after it.
        }

        var rest = text[at..];
        SectionKind kind;
        string[] fields = [];
        if (Ascii.EqualsIgnoreCase(rest, "HEADER"u8))
        {
            kind = SectionKind.Header;
        }
        else if (Ascii.EqualsIgnoreCase(rest, "TEXT"u8))
        {
            kind = SectionKind.Text;
        }
        else if (Ascii.EqualsIgnoreCase(rest, "MIME"u8))
        {
            if (part.Count == 0)
            {
                return false; // RFC 9051 §6.4.5: MIME must be prefixed by a part number.
            }

            kind = SectionKind.Mime;
        }
        else if (StartsWithIgnoreCase(rest, "HEADER.FIELDS.NOT "u8))
        {
            kind = SectionKind.HeaderFieldsNot;
            if (!TryFieldList(rest["HEADER.FIELDS.NOT "u8.Length..], out fields))
            {
                return false;
            }
        }
        else if (StartsWithIgnoreCase(rest, "HEADER.FIELDS "u8))
        {
            kind = SectionKind.HeaderFields;
            if (!TryFieldList(rest["HEADER.FIELDS "u8.Length..], out fields))
            {
                return false;
            }
        }
        else
        {
            return false;
        }

        spec = new SectionSpec([.. part], kind, fields);
        return true;
    }

    /// <summary>The canonical, upper-case form of the specifier, e.g. <c>1.2.HEADER.FIELDS (FROM TO)</c>, to echo
    /// between the brackets of the FETCH response item (RFC 9051 §7.5.2 <c>BODY[&lt;section&gt;]</c>).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (int number in Part)
        {
            if (text.Length > 0)
            {
                text.Append('.');
            }

            text.Append(number);
        }

        string? word = Kind switch
        {
            SectionKind.Header => "HEADER",
            SectionKind.HeaderFields => "HEADER.FIELDS",
            SectionKind.HeaderFieldsNot => "HEADER.FIELDS.NOT",
            SectionKind.Text => "TEXT",
            SectionKind.Mime => "MIME",
            _ => null,
        };
        if (word is null)
        {
            return text.ToString();
        }

        if (text.Length > 0)
        {
            text.Append('.');
        }

        text.Append(word);
        if (Kind is SectionKind.HeaderFields or SectionKind.HeaderFieldsNot)
        {
            text.Append(" (");
            for (int i = 0; i < Fields.Count; i++)
            {
                if (i > 0)
                {
                    text.Append(' ');
                }

                AppendFieldName(text, Fields[i]);
            }

            text.Append(')');
        }

        return text.ToString();
    }

    /// <summary>Whether <paramref name="name"/> (a header field name from the message) is in <see cref="Fields"/>,
    /// compared ASCII case-insensitively (RFC 5322 §1.2.2).</summary>
    public bool ContainsField(ReadOnlySpan<byte> name)
    {
        foreach (string field in Fields)
        {
            if (field.Length == name.Length && Ascii.EqualsIgnoreCase(name, field))
            {
                return true;
            }
        }

        return false;
    }

    private static void AppendFieldName(StringBuilder text, string name)
    {
        if (ImapStringWriter.IsAtom(Encoding.ASCII.GetBytes(name), allowBracket: false))
        {
            text.Append(name);
            return;
        }

        text.Append('"');
        foreach (char c in name)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        text.Append('"');
    }

    private static bool TryFieldList(ReadOnlySpan<byte> text, out string[] fields)
    {
        fields = [];
        if (text.Length < 3 || text[0] != '(' || text[^1] != ')')
        {
            return false;
        }

        var inner = text[1..^1];
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int at = 0;
        while (true)
        {
            if (!TryFieldName(inner, ref at, out string? name))
            {
                return false;
            }

            if (seen.Add(name))
            {
                if (names.Count == MaxFields)
                {
                    return false;
                }

                names.Add(name);
            }

            if (at == inner.Length)
            {
                break;
            }

            if (inner[at] != ' ')
            {
                return false;
            }

            at++;
        }

        fields = [.. names];
        return true;
    }

    /// <summary>One <c>header-fld-name</c> (an atom or a quoted string) whose value is <c>ftext</c>, upper-cased.</summary>
    private static bool TryFieldName(ReadOnlySpan<byte> text, ref int at, out string name)
    {
        name = string.Empty;
        Span<byte> buffer = stackalloc byte[MaxFieldNameLength];
        int length = 0;
        if (at < text.Length && text[at] == '"')
        {
            at++;
            while (true)
            {
                if (at == text.Length)
                {
                    return false;
                }

                byte b = text[at++];
                if (b == '"')
                {
                    break;
                }

                if (b == '\\')
                {
                    if (at == text.Length || text[at] is not ((byte)'"' or (byte)'\\'))
                    {
                        return false;
                    }

                    b = text[at++];
                }

                if (length == MaxFieldNameLength || !IsFieldText(b))
                {
                    return false;
                }

                buffer[length++] = b;
            }
        }
        else
        {
            int start = at;
            while (at < text.Length && text[at] != ' ')
            {
                at++;
            }

            var atom = text[start..at];
            if (atom.Length > MaxFieldNameLength || !ImapStringWriter.IsAtom(atom, allowBracket: true))
            {
                return false;
            }

            foreach (byte b in atom)
            {
                if (!IsFieldText(b))
                {
                    return false;
                }
            }

            atom.CopyTo(buffer);
            length = atom.Length;
        }

        if (length == 0)
        {
            return false;
        }

        name = Encoding.ASCII.GetString(buffer[..length]).ToUpperInvariant();
        return true;
    }

    /// <summary>RFC 5322 §3.6.8: ftext = %d33-57 / %d59-126 (printable ASCII except colon).</summary>
    private static bool IsFieldText(byte b) => b is >= 33 and <= 126 && b != ':';

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    /// <summary>nz-number: no leading zero, at most nine digits (part numbers never come close).</summary>
    private static bool TryNumber(ReadOnlySpan<byte> text, ref int at, out int number)
    {
        number = 0;
        int start = at;
        if (text[at] == '0')
        {
            return false;
        }

        while (at < text.Length && IsDigit(text[at]))
        {
            if (at - start == 9)
            {
                return false;
            }

            number = (number * 10) + (text[at++] - '0');
        }

        return true;
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> prefix) =>
        text.Length >= prefix.Length && Ascii.EqualsIgnoreCase(text[..prefix.Length], prefix);
}
