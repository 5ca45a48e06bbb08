using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Rampart.Smtp.SenderChecks.Spf;

/// <summary>The values the macros of RFC 7208 §7.2 stand for.</summary>
internal sealed class SpfMacroContext
{
    public required string Sender { get; init; }

    public required string Domain { get; init; }

    public required IPAddress Client { get; init; }

    public required string Helo { get; init; }

    public required string Receiver { get; init; }

    public required long Timestamp { get; init; }

    /// <summary>Computes <c>%{p}</c> on first use: it costs DNS queries, so only records that use it pay for it.</summary>
    public required Func<Task<string>> ValidatedName { get; init; }

    public string LocalPart => Sender[..Sender.LastIndexOf('@')];

    public string SenderDomain => Sender[(Sender.LastIndexOf('@') + 1)..];
}

/// <summary>Macro expansion (RFC 7208 §7): <c>%{letter digits r delimiters}</c>, <c>%%</c>, <c>%_</c>, <c>%-</c>.</summary>
internal static class SpfMacro
{
    private const string Delimiters = ".-+,/_=";

    /// <summary>The longest name a domain-spec expands to before labels are dropped from the left (§7.3).</summary>
    private const int MaxDomainLength = 253;

    /// <summary>True when <paramref name="text"/> is a macro-string (or, with <paramref name="explanation"/>, an
    /// explain-string, which may also use c, r and t).</summary>
    public static bool IsValid(string text, bool explanation) => Walk(text, explanation, null, out _) is not null;

    /// <summary>Expands a domain-spec and shortens it to 253 characters by dropping labels on the left (§7.3); null
    /// on a syntax error.</summary>
    public static async Task<string?> ExpandDomainAsync(string spec, SpfMacroContext context)
    {
        var expanded = await ExpandAsync(spec, context, explanation: false).ConfigureAwait(false);
        if (expanded is null)
        {
            return null;
        }

        expanded = expanded.TrimEnd('.');
        while (expanded.Length > MaxDomainLength)
        {
            var dot = expanded.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                return null;
            }

            expanded = expanded[(dot + 1)..];
        }

        return expanded;
    }

    /// <summary>Expands a macro-string; null on a syntax error.</summary>
    public static async Task<string?> ExpandAsync(string text, SpfMacroContext context, bool explanation)
    {
        // %{p} needs DNS; resolve it once up front only when the string uses it.
        string? validated = null;
        if (text.Contains("%{p", StringComparison.OrdinalIgnoreCase))
        {
            validated = await context.ValidatedName().ConfigureAwait(false);
        }

        return Walk(text, explanation, context, out _, validated);
    }

    private static string? Walk(string text, bool explanation, SpfMacroContext? context, out int letters, string? validated = null)
    {
        letters = 0;
        var output = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '%')
            {
                // macro-literal = %x21-24 / %x26-7E; the explain-string also allows spaces.
                if (c is < '!' or > '~' && !(explanation && c == ' '))
                {
                    return null;
                }

                output.Append(c);
                continue;
            }

            if (++i >= text.Length)
            {
                return null;
            }

            switch (text[i])
            {
                case '%':
                    output.Append('%');
                    continue;
                case '_':
                    output.Append(' ');
                    continue;
                case '-':
                    output.Append("%20");
                    continue;
                case '{':
                    break;
                default:
                    return null;
            }

            var close = text.IndexOf('}', i);
            if (close < 0 || close == i + 1)
            {
                return null;
            }

            var macro = text[(i + 1)..close];
            i = close;
            var letter = macro[0];
            var lower = char.ToLowerInvariant(letter);
            if (!"slodiphv".Contains(lower, StringComparison.Ordinal) && !(explanation && "crt".Contains(lower, StringComparison.Ordinal)))
            {
                return null;
            }

            var at = 1;
            while (at < macro.Length && char.IsAsciiDigit(macro[at]))
            {
                at++;
            }

            var digits = macro[1..at];
            var keep = int.MaxValue;
            if (digits.Length > 0)
            {
                // A count of zero is a syntax error (§7.1); a huge count simply keeps everything.
                keep = digits.Length > 4 ? int.MaxValue : int.Parse(digits, CultureInfo.InvariantCulture);
                if (keep == 0 || digits.TrimStart('0').Length == 0)
                {
                    return null;
                }
            }

            var reverse = at < macro.Length && (macro[at] is 'r' or 'R');
            if (reverse)
            {
                at++;
            }

            var delimiters = macro[at..];
            if (delimiters.Any(d => !Delimiters.Contains(d, StringComparison.Ordinal)))
            {
                return null;
            }

            letters++;
            if (context is null)
            {
                continue;
            }

            var value = Value(lower, context, validated);
            var parts = value.Split(delimiters.Length > 0 ? delimiters.ToCharArray() : ['.']);
            if (reverse)
            {
                Array.Reverse(parts);
            }

            if (keep < parts.Length)
            {
                parts = parts[^keep..];
            }

            var joined = string.Join('.', parts);
            output.Append(char.IsUpper(letter) ? UrlEscape(joined) : joined);
        }

        return output.ToString();
    }

    private static string Value(char letter, SpfMacroContext context, string? validated) => letter switch
    {
        's' => context.Sender,
        'l' => context.LocalPart,
        'o' => context.SenderDomain,
        'd' => context.Domain,
        'i' => DottedAddress(context.Client),
        'p' => validated ?? "unknown",
        'v' => context.Client.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6" : "in-addr",
        'h' => context.Helo,
        'c' => context.Client.ToString(),
        'r' => context.Receiver,
        't' => context.Timestamp.ToString(CultureInfo.InvariantCulture),
        _ => "",
    };

    // %{i}: IPv4 dotted quad; IPv6 as dot-separated nibbles (§7.3).
    private static string DottedAddress(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6
            ? string.Join('.', Convert.ToHexStringLower(address.GetAddressBytes()).ToCharArray())
            : address.ToString();

    // Uppercase macro letters are URL-escaped (§7.3): everything outside the URI unreserved set (ALPHA DIGIT - . _ ~).
    private static string UrlEscape(string value)
    {
        var output = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
            {
                output.Append((char)b);
            }
            else
            {
                output.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return output.ToString();
    }
}
