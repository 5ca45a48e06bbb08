using System.Globalization;
using System.Security.Cryptography;

namespace Rampart.Monitoring.Audit;

/// <summary>
/// The hash chain that makes the audit log tamper-evident: every line carries <c>seq</c> (1, 2, 3, … across all
/// files) and <c>prev</c>, the SHA-256 (lowercase hex) of the previous line's bytes without its newline. Editing a
/// line breaks the next line's <c>prev</c>; deleting one breaks <c>seq</c>; cutting the tail is caught by
/// <c>audit.head</c>, which records the last line forced to disk. Rotated files are named after their first
/// sequence number, so name order is chain order, and the first line of a new file chains to the last of the
/// previous one.
/// </summary>
public static class AuditChain
{
    /// <summary>The current file.</summary>
    public const string CurrentFileName = "audit.log";

    /// <summary>The head record: <c>SEQ HASH</c> of the last line fsynced.</summary>
    public const string HeadFileName = "audit.head";

    /// <summary>The <c>prev</c> of the very first line.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>The lowercase hex SHA-256 of one line (without its newline).</summary>
    public static string Hash(ReadOnlySpan<byte> line) => Convert.ToHexStringLower(SHA256.HashData(line));

    /// <summary>The name a file gets when rotated: <c>audit-000000000042.log</c> for a file whose first line is seq 42.</summary>
    public static string RotatedFileName(long firstSeq) => string.Create(CultureInfo.InvariantCulture, $"audit-{firstSeq:D12}.log");

    /// <summary>Every audit file in <paramref name="directory"/> in chain order: rotated ones by name, then the current.</summary>
    public static IReadOnlyList<string> FilesInOrder(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var rotated = Directory.GetFiles(directory, "audit-*.log").Order(StringComparer.Ordinal).ToList();
        var current = Path.Combine(directory, CurrentFileName);
        if (File.Exists(current))
        {
            rotated.Add(current);
        }

        return rotated;
    }
}
