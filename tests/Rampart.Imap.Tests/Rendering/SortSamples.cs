using Rampart.Imap.Rendering;
using Rampart.Store.Mime;

namespace Rampart.Imap.Tests.Rendering;

internal static class SortSamples
{
    public static readonly DateTimeOffset Base = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static SortItem Item(
        uint sequence,
        string subject = "",
        string from = "",
        string to = "",
        string cc = "",
        string displayFrom = "",
        string displayTo = "",
        int? dateMinutes = null,
        int arrivalMinutes = 0,
        long size = 0,
        string? messageId = null,
        string[]? references = null,
        string[]? inReplyTo = null)
    {
        var fields = new HeaderFields(
            Subject: subject,
            From: from,
            To: to,
            Cc: cc,
            Bcc: string.Empty,
            Date: dateMinutes is { } minutes ? Base.AddMinutes(minutes) : null,
            MessageId: messageId,
            InReplyTo: inReplyTo ?? [],
            References: references ?? [],
            SortSubject: BaseSubject.Extract(subject),
            SortFrom: from,
            SortTo: to,
            SortCc: cc,
            DisplayFrom: displayFrom,
            DisplayTo: displayTo);
        return new SortItem(sequence + 100, sequence, fields, size, Base.AddMinutes(arrivalMinutes));
    }
}
