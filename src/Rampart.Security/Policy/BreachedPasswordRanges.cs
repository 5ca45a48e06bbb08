using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rampart.Security.Policy;

/// <summary>
/// A directory of k-anonymity range files in the Have-I-Been-Pwned format: one file per 5-hex-digit SHA-1 prefix
/// (named <c>ABCDE</c> or <c>ABCDE.txt</c>, either case), each line <c>SUFFIX:COUNT</c> with the other 35 hex digits.
/// Only the one file for the candidate's prefix is read, so the full corpus (about 1 million files) can sit on disk
/// without being loaded.
/// </summary>
public sealed class BreachedPasswordRanges
{
    /// <summary>The largest range file read (4 MiB; real ones are under 100 KiB): a bound on a damaged file.</summary>
    public const long MaxRangeFileBytes = 4 << 20;

    /// <summary>Uses the range files in <paramref name="directory"/>.</summary>
    public BreachedPasswordRanges(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = directory;
    }

    /// <summary>The directory of range files.</summary>
    public string Directory { get; }

    /// <summary>How often <paramref name="password"/> (already NFKC) appears in the breaches; 0 when not found or when the
    /// prefix has no file.</summary>
    public int TimesSeen(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
#pragma warning disable CA5350 // The range files are keyed by SHA-1: it names a bucket here, it protects nothing.
        var hash = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(password)));
#pragma warning restore CA5350
        var prefix = hash[..5];
        var suffix = hash.AsSpan(5);
        var file = new[] { prefix, prefix + ".txt", prefix.ToLowerInvariant(), prefix.ToLowerInvariant() + ".txt" }
            .Select(name => Path.Combine(Directory, name))
            .FirstOrDefault(File.Exists);
        if (file is null || new FileInfo(file).Length > MaxRangeFileBytes)
        {
            return 0;
        }

        foreach (var line in File.ReadLines(file))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var candidate = (colon < 0 ? line : line[..colon]).AsSpan().Trim();
            if (candidate.Equals(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return colon >= 0 && int.TryParse(line.AsSpan(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                    ? Math.Max(count, 1)
                    : 1;
            }
        }

        return 0;
    }
}
