using System.Text;

namespace Rampart.Smtp.Outbound;

/// <summary>One reply from a remote SMTP server (RFC 5321 §4.2): the three-digit code and its text lines.</summary>
public sealed record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    public bool IsPositive => Code is >= 200 and < 400;

    public bool IsTransient => Code is >= 400 and < 500;

    public bool IsPermanent => Code >= 500;

    /// <summary>The enhanced status code (RFC 3463) at the start of the text, e.g. <c>5.1.1</c>; null when absent.</summary>
    public string? EnhancedCode
    {
        get
        {
            var first = Lines.Count > 0 ? Lines[0] : string.Empty;
            var token = first.Split(' ', 2)[0];
            var parts = token.Split('.');
            return parts.Length == 3 && parts[0] is "2" or "4" or "5" && parts.Skip(1).All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit))
                ? token
                : null;
        }
    }

    /// <summary>The enhanced code, or a generic one for the reply's class (RFC 3463 §3.1: X.0.0).</summary>
    public string StatusCode => EnhancedCode ?? $"{Code / 100}.0.0";

    /// <summary>The reply as one line for logs and the queue: <c>550 5.1.1 no such user</c>, control characters removed,
    /// at most 512 characters (what a hostile server writes is shown to people).</summary>
    public override string ToString()
    {
        var text = new StringBuilder().Append(Code);
        foreach (var line in Lines)
        {
            text.Append(' ').Append(line);
        }

        return Printable(text.ToString());
    }

    /// <summary>Printable ASCII only, at most 512 characters.</summary>
    public static string Printable(string text)
    {
        var clean = new string([.. text.Select(c => c is >= ' ' and <= '~' ? c : '?')]);
        return clean.Length > 512 ? clean[..512] : clean;
    }
}
