using System.Globalization;
using System.Text.Json;

namespace Rampart.Monitoring.Audit;

/// <summary>Checks the hash chain of every audit file in a directory (see <see cref="AuditChain"/>) and names the
/// first line that breaks it. Reads line by line: memory stays flat however large the trail.</summary>
public static class AuditVerifier
{
    /// <summary>Verifies <paramref name="directory"/>.</summary>
    public static AuditVerification Verify(string directory)
    {
        var files = AuditChain.FilesInOrder(directory);
        if (files.Count == 0)
        {
            return new AuditVerification(true, 0, 0, null, "no audit files");
        }

        long expectedSeq = 0;
        string? expectedPrev = null;
        long lines = 0;
        string? note = null;
        foreach (var path in files)
        {
            var name = Path.GetFileName(path);
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var lineNumber = 0;
            foreach (var (line, terminated) in ReadLines(stream))
            {
                lineNumber++;
                var where = string.Create(CultureInfo.InvariantCulture, $"{name}:{lineNumber}");
                if (!terminated)
                {
                    return Bad(lines, where, "last line is incomplete (no newline)");
                }

                if (!TryParse(line, out var seq, out var prev))
                {
                    return Bad(lines, where, "not a valid audit line (JSON with seq and prev)");
                }

                if (expectedPrev is null)
                {
                    // The first line of the oldest file kept: the chain starts here.
                    if (seq != 1)
                    {
                        note = string.Create(CultureInfo.InvariantCulture, $"the oldest file kept starts at seq {seq}: earlier files were removed");
                    }
                    else if (prev != AuditChain.Genesis)
                    {
                        return Bad(lines, where, "the first line does not start the chain");
                    }
                }
                else if (seq != expectedSeq)
                {
                    return Bad(lines, where, string.Create(CultureInfo.InvariantCulture, $"expected seq {expectedSeq}, found {seq}: a line was removed or inserted before this one"));
                }
                else if (prev != expectedPrev)
                {
                    return Bad(lines, where, "prev does not match the previous line: the previous line was changed, or this one was");
                }

                expectedSeq = seq + 1;
                expectedPrev = AuditChain.Hash(line);
                lines++;
            }
        }

        var head = Path.Combine(directory, AuditChain.HeadFileName);
        if (File.Exists(head))
        {
            var parts = File.ReadAllText(head).Trim().Split(' ');
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var headSeq))
            {
                return Bad(lines, AuditChain.HeadFileName, "damaged head record");
            }

            if (headSeq > expectedSeq - 1)
            {
                return Bad(lines, AuditChain.HeadFileName, string.Create(CultureInfo.InvariantCulture, $"the log ends at seq {expectedSeq - 1} but seq {headSeq} was written: lines were cut from the end"));
            }

            if (headSeq == expectedSeq - 1 && parts[1] != expectedPrev)
            {
                return Bad(lines, AuditChain.HeadFileName, "the last line differs from the one written: it was changed");
            }
        }

        return new AuditVerification(true, lines, expectedSeq - 1, null, note);
    }

    private static AuditVerification Bad(long lines, string where, string reason) => new(false, lines, 0, where, reason);

    private static bool TryParse(byte[] line, out long seq, out string? prev)
    {
        seq = 0;
        prev = null;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("seq", out var s) || !s.TryGetInt64(out seq) ||
                !root.TryGetProperty("prev", out var p) || p.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            prev = p.GetString();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static IEnumerable<(byte[] Line, bool Terminated)> ReadLines(Stream stream)
    {
        var current = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            var offset = 0;
            int newline;
            while ((newline = Array.IndexOf(buffer, (byte)'\n', offset, read - offset)) >= 0)
            {
                current.Write(buffer, offset, newline - offset);
                yield return (current.ToArray(), true);
                current.SetLength(0);
                offset = newline + 1;
            }

            current.Write(buffer, offset, read - offset);
        }

        if (current.Length > 0)
        {
            yield return (current.ToArray(), false);
        }
    }
}

/// <summary>The result of <see cref="AuditVerifier.Verify"/>.</summary>
/// <param name="Intact">Whether the whole chain holds.</param>
/// <param name="Lines">Lines checked (up to the first bad one).</param>
/// <param name="LastSeq">The last sequence number when intact.</param>
/// <param name="FirstBad"><c>FILE:LINE</c> of the first line that breaks the chain, or null.</param>
/// <param name="Message">Why it is broken, or a note about an intact chain.</param>
public sealed record AuditVerification(bool Intact, long Lines, long LastSeq, string? FirstBad, string? Message);
