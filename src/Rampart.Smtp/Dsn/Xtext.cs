using System.Text;

namespace Rampart.Smtp.Dsn;

/// <summary>The xtext encoding of the DSN parameters ENVID and ORCPT (RFC 3461 §4): printable ASCII except <c>+</c>
/// and <c>=</c> stands for itself, anything else is <c>+</c> and two upper-case hex digits.</summary>
public static class Xtext
{
    /// <summary>Decodes <paramref name="text"/>; false when it is not xtext or decodes to something other than printable
    /// ASCII (a DSN field is printed from it, so a control character must never come out).</summary>
    public static bool TryDecode(string text, out string decoded)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        decoded = "";
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '+')
            {
                // hexchar = "+" 2(%x30-39 / %x41-46): upper-case only, as RFC 3461 §4 writes it.
                if (i + 2 >= text.Length || !IsUpperHex(text[i + 1]) || !IsUpperHex(text[i + 2]))
                {
                    return false;
                }

                c = (char)Convert.ToByte(text.Substring(i + 1, 2), 16);
                i += 2;
                if (c is < ' ' or > '~')
                {
                    return false;
                }
            }
            else if (c is < '!' or > '~' or '=')
            {
                return false;
            }

            builder.Append(c);
        }

        decoded = builder.ToString();
        return true;
    }

    /// <summary>Encodes printable ASCII <paramref name="text"/> as xtext, for passing ENVID and ORCPT on to the next hop.</summary>
    public static string Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is >= '!' and <= '~' and not '+' and not '=')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('+').Append(((int)c & 0xff).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static bool IsUpperHex(char c) => char.IsAsciiDigit(c) || c is >= 'A' and <= 'F';
}
