using Rampart.Net.Options;

namespace Rampart.Net.Reading;

/// <summary>The limits a <see cref="LineReader"/> enforces. Change them between commands (e.g. at login).</summary>
public sealed class LineReaderLimits
{
    /// <summary>Default line length limit: 64 KiB (see <see cref="Options.ConnectionLimitOptions.LineLengthLimit"/>).</summary>
    public const int DefaultMaxLineLength = 64 * 1024;

    /// <summary>Default literal limit: 4 KiB, the pre-authentication bound (SECURITY.md "limits").</summary>
    public const long DefaultMaxLiteralLength = 4 * 1024;

    /// <summary>Default literals per command: 1000 (M02).</summary>
    public const int DefaultMaxLiteralsPerCommand = 1000;

    /// <summary>Longest line in octets, CRLF excluded. Default <see cref="DefaultMaxLineLength"/>.</summary>
    public int MaxLineLength { get; set; } = DefaultMaxLineLength;

    /// <summary>Whether lines end with <c>{N}</c>-style literals (IMAP). Default true; SMTP/POP3 turn it off.</summary>
    public bool DetectLiterals { get; set; } = true;

    /// <summary>Largest literal accepted. Default <see cref="DefaultMaxLiteralLength"/>; raise after authentication.</summary>
    public long MaxLiteralLength { get; set; } = DefaultMaxLiteralLength;

    /// <summary>Literals allowed in one command. Default <see cref="DefaultMaxLiteralsPerCommand"/>.</summary>
    public int MaxLiteralsPerCommand { get; set; } = DefaultMaxLiteralsPerCommand;

    /// <summary>Accept a bare LF as a line end. Default false: IMAP requires CRLF (RFC 9051 §2.2), and
    /// ambiguous line ends are the root of SMTP smuggling. A protocol may relax it deliberately.</summary>
    public bool AllowBareLineFeed { get; set; }

    /// <summary>The limits for a new, unauthenticated connection: the line limit, the pre-auth literal limit
    /// and the literal count from <paramref name="options"/>.</summary>
    public static LineReaderLimits ForPreAuth(ConnectionLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new LineReaderLimits
        {
            MaxLineLength = options.LineLengthLimit,
            MaxLiteralLength = options.PreAuthLiteralLimit,
            MaxLiteralsPerCommand = options.MaxLiteralsPerCommand,
        };
    }

    /// <summary>Raises the literal limit to the post-authentication one (<see cref="ConnectionLimitOptions.MaxLiteral"/>).</summary>
    public void RaiseForAuthenticated(ConnectionLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        MaxLiteralLength = options.MaxLiteral;
    }
}
