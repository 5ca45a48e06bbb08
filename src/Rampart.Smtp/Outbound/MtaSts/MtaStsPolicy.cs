using System.Globalization;

namespace Rampart.Smtp.Outbound.MtaSts;

/// <summary>A parsed MTA-STS policy file (RFC 8461 §3.2): its mode, MX patterns and lifetime.</summary>
public sealed record MtaStsPolicy(MtaStsMode Mode, IReadOnlyList<string> MxPatterns, TimeSpan MaxAge)
{
    /// <summary>The largest <c>max_age</c> allowed, in seconds: 31557600, about a year (RFC 8461 §3.2).</summary>
    public const long MaxMaxAgeSeconds = 31557600;

    /// <summary>Most <c>mx</c> lines kept. 100: a real policy lists a handful, and each pattern is compared with each
    /// MX host of every delivery.</summary>
    public const int MaxMxPatterns = 100;

    /// <summary>Parses the policy text; null and <paramref name="error"/> set when it is not a valid STSv1 policy.</summary>
    /// <remarks>RFC 8461 §3.2: lines end in CRLF or LF; <c>key: value</c>; unknown keys are ignored; version, mode and
    /// max_age are required, and at least one mx unless the mode is none.</remarks>
    public static MtaStsPolicy? TryParse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? version = null;
        string? mode = null;
        string? maxAge = null;
        var mx = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                error = "a line is not key: value";
                return null;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim(' ', '\t');
            switch (key)
            {
                case "version":
                    version ??= value;
                    break;
                case "mode":
                    mode ??= value;
                    break;
                case "max_age":
                    maxAge ??= value;
                    break;
                case "mx":
                    if (mx.Count >= MaxMxPatterns)
                    {
                        error = $"more than {MaxMxPatterns} mx lines";
                        return null;
                    }

                    if (!IsPattern(value))
                    {
                        error = "an mx value is not a host name or *.name";
                        return null;
                    }

                    mx.Add(value.TrimEnd('.').ToLowerInvariant());
                    break;
            }
        }

        if (version != "STSv1")
        {
            error = "version is not STSv1";
            return null;
        }

        var parsedMode = mode switch
        {
            "enforce" => MtaStsMode.Enforce,
            "testing" => MtaStsMode.Testing,
            "none" => MtaStsMode.None,
            _ => (MtaStsMode?)null,
        };
        if (parsedMode is null)
        {
            error = "mode is not enforce, testing or none";
            return null;
        }

        // max_age is 1*10DIGIT (RFC 8461 §3.2), at most 31557600.
        if (maxAge is null || maxAge.Length is 0 or > 10 || !maxAge.All(char.IsAsciiDigit)
            || !long.TryParse(maxAge, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > MaxMaxAgeSeconds)
        {
            error = $"max_age is not a number of seconds up to {MaxMaxAgeSeconds}";
            return null;
        }

        if (mx.Count == 0 && parsedMode != MtaStsMode.None)
        {
            error = "no mx line";
            return null;
        }

        error = null;
        return new MtaStsPolicy(parsedMode.Value, mx, TimeSpan.FromSeconds(seconds));
    }

    /// <summary>Whether <paramref name="host"/> (an MX name) matches one of the policy's patterns: exactly, or a
    /// <c>*.example.com</c> pattern that stands for exactly one leftmost label (RFC 8461 §4.1).</summary>
    public bool Matches(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        host = host.TrimEnd('.').ToLowerInvariant();
        foreach (var pattern in MxPatterns)
        {
            if (pattern.StartsWith("*.", StringComparison.Ordinal))
            {
                var dot = host.IndexOf('.', StringComparison.Ordinal);
                if (dot > 0 && string.Equals(host[(dot + 1)..], pattern[2..], StringComparison.Ordinal))
                {
                    return true;
                }
            }
            else if (string.Equals(host, pattern, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPattern(string value)
    {
        var name = value.StartsWith("*.", StringComparison.Ordinal) ? value[2..] : value;
        name = name.TrimEnd('.');
        return name.Length is > 0 and <= 253
            && name.Split('.').All(label => label.Length is > 0 and <= 63 && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
    }
}
