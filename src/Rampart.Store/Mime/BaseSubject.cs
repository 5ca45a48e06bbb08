using System.Text;

namespace Rampart.Store.Mime;

/// <summary>The RFC 5256 §2.1 base subject: the subject without reply/forward prefixes, list tags and "(fwd)"
/// trailers, whitespace collapsed; upper-cased so that a binary comparison is a case-insensitive one.</summary>
public static class BaseSubject
{
    /// <summary>Extracts the base subject of an already decoded subject.</summary>
    public static string Extract(string? decodedSubject)
    {
        if (string.IsNullOrEmpty(decodedSubject))
        {
            return string.Empty;
        }

        // Step 1: every run of whitespace becomes one space.
        var collapsed = new StringBuilder(decodedSubject.Length);
        foreach (char c in decodedSubject)
        {
            if (char.IsWhiteSpace(c))
            {
                if (collapsed.Length > 0 && collapsed[^1] != ' ')
                {
                    collapsed.Append(' ');
                }
            }
            else
            {
                collapsed.Append(c);
            }
        }

        string subject = collapsed.ToString();
        while (true)
        {
            // Step 2: trailing "(fwd)" and whitespace.
            subject = subject.TrimEnd();
            while (subject.EndsWith("(fwd)", StringComparison.OrdinalIgnoreCase))
            {
                subject = subject[..^5].TrimEnd();
            }

            // Steps 3 to 5, until nothing changes.
            string previous;
            do
            {
                previous = subject;
                subject = RemoveLeaders(subject);
                int blobEnd = BlobEnd(subject, 0);
                if (blobEnd > 0)
                {
                    string rest = subject[blobEnd..].TrimStart();
                    if (rest.Length > 0)
                    {
                        subject = rest;
                    }
                }
            }
            while (subject != previous);

            // Step 6: "[fwd: ...]" wrapping.
            if (subject.StartsWith("[fwd:", StringComparison.OrdinalIgnoreCase) && subject.EndsWith(']'))
            {
                subject = subject[5..^1];
                continue;
            }

            return subject.Trim().ToUpperInvariant();
        }
    }

    /// <summary>Step 3: removes subj-leader = (*subj-blob subj-refwd) / WSP, repeatedly.</summary>
    private static string RemoveLeaders(string subject)
    {
        while (true)
        {
            if (subject.Length > 0 && subject[0] == ' ')
            {
                subject = subject.TrimStart();
                continue;
            }

            int position = 0;
            int blobEnd;
            while ((blobEnd = BlobEnd(subject, position)) > 0)
            {
                position = SkipSpace(subject, blobEnd);
            }

            int afterKeyword = Keyword(subject, position);
            if (afterKeyword < 0)
            {
                return subject;
            }

            position = SkipSpace(subject, afterKeyword);
            blobEnd = BlobEnd(subject, position);
            if (blobEnd > 0)
            {
                position = SkipSpace(subject, blobEnd);
            }

            if (position >= subject.Length || subject[position] != ':')
            {
                return subject;
            }

            subject = subject[(position + 1)..];
        }
    }

    /// <summary>"re", "fwd" or "fw" at <paramref name="position"/>: the index after it, or -1.</summary>
    private static int Keyword(string subject, int position)
    {
        var rest = subject.AsSpan(position);
        if (rest.StartsWith("re", StringComparison.OrdinalIgnoreCase))
        {
            return position + 2;
        }

        if (rest.StartsWith("fwd", StringComparison.OrdinalIgnoreCase))
        {
            return position + 3;
        }

        return rest.StartsWith("fw", StringComparison.OrdinalIgnoreCase) ? position + 2 : -1;
    }

    /// <summary>subj-blob = "[" *BLOBCHAR "]": the index after "]" when one starts at <paramref name="position"/>, else -1.</summary>
    private static int BlobEnd(string subject, int position)
    {
        if (position >= subject.Length || subject[position] != '[')
        {
            return -1;
        }

        for (int i = position + 1; i < subject.Length; i++)
        {
            switch (subject[i])
            {
                case ']':
                    return i + 1;
                case '[':
                    return -1;
            }
        }

        return -1;
    }

    private static int SkipSpace(string subject, int position)
    {
        while (position < subject.Length && subject[position] == ' ')
        {
            position++;
        }

        return position;
    }
}
