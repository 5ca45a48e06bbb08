namespace Rampart.Imap.Rendering;

/// <summary>Whether a subject marks a reply or forward (RFC 5256 §2.1 and §5: a <c>subj-refwd</c> leader such as
/// "Re:" or "Fwd:", possibly after list tags, a "(fwd)" trailer, or a "[fwd: …]" wrapper). THREAD=REFERENCES uses it
/// to decide which message with the same base subject leads.</summary>
internal static class ReplySubject
{
    public static bool IsReplyOrForward(string? subject)
    {
        if (string.IsNullOrEmpty(subject))
        {
            return false;
        }

        var text = subject.AsSpan().Trim();
        if (text.EndsWith("(fwd)", StringComparison.OrdinalIgnoreCase)
            || (text.StartsWith("[fwd:", StringComparison.OrdinalIgnoreCase) && text.EndsWith("]", StringComparison.Ordinal)))
        {
            return true;
        }

        // subj-leader = (*subj-blob subj-refwd) / WSP; subj-blob = "[" *BLOBCHAR "]" *WSP
        int at = SkipBlobs(text, 0);
        int wordLength = StartsWith(text, at, "fwd") ? 3 : StartsWith(text, at, "fw") || StartsWith(text, at, "re") ? 2 : 0;
        if (wordLength == 0)
        {
            return false;
        }

        // subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"
        at += wordLength;
        at = SkipSpace(text, at);
        if (at < text.Length && text[at] == '[')
        {
            int close = text[at..].IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            at = SkipSpace(text, at + close + 1);
        }

        return at < text.Length && text[at] == ':';
    }

    private static int SkipBlobs(ReadOnlySpan<char> text, int at)
    {
        at = SkipSpace(text, at);
        while (at < text.Length && text[at] == '[')
        {
            // BLOBCHAR excludes both brackets: the blob ends at the first "]" with no "[" before it.
            var rest = text[(at + 1)..];
            int close = rest.IndexOfAny('[', ']');
            if (close < 0 || rest[close] == '[')
            {
                return at;
            }

            at = SkipSpace(text, at + close + 2);
        }

        return at;
    }

    private static int SkipSpace(ReadOnlySpan<char> text, int at)
    {
        while (at < text.Length && text[at] is ' ' or '\t')
        {
            at++;
        }

        return at;
    }

    private static bool StartsWith(ReadOnlySpan<char> text, int at, string word) =>
        text.Length - at >= word.Length && text.Slice(at, word.Length).Equals(word, StringComparison.OrdinalIgnoreCase);
}
