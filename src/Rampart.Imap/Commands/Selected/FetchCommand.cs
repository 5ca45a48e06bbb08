using System.Buffers;
using System.Buffers.Text;
using Rampart.Imap.Protocol;
using Rampart.Imap.Rendering;
using Rampart.Imap.Session;
using Rampart.Store;
using Rampart.Store.Mime;
using Rampart.Store.Model;

namespace Rampart.Imap.Commands.Selected;

/// <summary>
/// FETCH returns message data: FLAGS, UID, INTERNALDATE, RFC822.SIZE, MODSEQ, EMAILID, THREADID, SAVEDATE,
/// PREVIEW, ENVELOPE, BODY, BODYSTRUCTURE, BODY[section]&lt;partial&gt;, BINARY[…], BINARY.SIZE[…] and the RFC822
/// forms, from stored metadata and part offsets (no re-parsing). A non-PEEK body fetch sets \Seen. CHANGEDSINCE
/// and VANISHED come from CONDSTORE/QRESYNC.
/// </summary>
/// <remarks>RFC 9051 §6.4.5 (RFC 3501 §6.4.5), RFC 3516, RFC 7162 §3.1.4, §3.2.6, RFC 8474, RFC 8514, RFC 8970.
/// States: Selected.</remarks>
internal static class FetchCommand
{
    /// <summary>Messages read from the store per round. Default 500: bounds memory for <c>1:*</c> on a big mailbox.</summary>
    private const int BatchSize = 500;

    /// <summary>Messages read per round when only UID, FLAGS and MODSEQ are asked for. Default 5,000: each costs a few
    /// dozen bytes in memory, and fewer rounds mean fewer queries on a big mailbox.</summary>
    private const int FlagBatchSize = 5000;

    /// <summary>Buffered response octets that trigger a flush: keeps memory flat on big fetches.</summary>
    private const int FlushThreshold = 64 * 1024;

    public static CommandDefinition Definition { get; } = new("FETCH", SessionState.Selected, "RFC 9051 §6.4.5", ExecuteAsync, DefersExpunge: true);

    public static CommandDefinition UidDefinition { get; } = new("UID FETCH", SessionState.Selected, "RFC 9051 §6.4.9", ExecuteAsync);

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        var args = command.Arguments;
        var view = session.RequireSelected();
        args.Space();
        var set = args.SequenceSet();
        args.Space();
        var items = FetchItem.ParseList(args);
        ulong? changedSince = null;
        var vanished = false;
        if (args.TrySpace())
        {
            args.List(() =>
            {
                if (args.TryKeyword("CHANGEDSINCE"u8))
                {
                    args.Space();
                    changedSince = args.Number64();
                }
                else if (args.TryKeyword("VANISHED"u8))
                {
                    vanished = true;
                }
                else
                {
                    throw ImapCommandException.Syntax("Unknown FETCH modifier");
                }
            });
        }

        args.RequireEnd();
        if (vanished && (!command.IsUid || !session.QResync || changedSince is null))
        {
            throw ImapCommandException.Syntax("VANISHED needs UID FETCH, QRESYNC and CHANGEDSINCE");
        }

        // RFC 7162 §3.1: CHANGEDSINCE and the MODSEQ item are CONDSTORE enabling commands.
        if (changedSince is not null || items.Any(i => i.Kind == FetchKind.ModSeq))
        {
            session.CondStore = true;
        }

        // RFC 9051 §7.5: a UID FETCH includes UID; CHANGEDSINCE implies MODSEQ (RFC 7162 §3.1.4.1).
        if (command.IsUid && !items.Any(i => i.Kind == FetchKind.Uid))
        {
            items.Insert(0, new FetchItem(FetchKind.Uid));
        }

        if (changedSince is not null && !items.Any(i => i.Kind == FetchKind.ModSeq))
        {
            items.Add(new FetchItem(FetchKind.ModSeq));
        }

        var uids = view.Resolve(set, command.IsUid);
        var account = session.RequireAccount();
        if (vanished)
        {
            var gone = (await account.ExpungedSinceAsync(view.MailboxId, changedSince!.Value)).Where(uids.Contains).ToList();
            if (gone.Count > 0)
            {
                session.Writer.Raw("* VANISHED (EARLIER) "u8).Ascii(UidSet.FromRanges(gone.Select(u => (u, u))).ToString()).Line();
            }
        }

        var known = view.Known(uids);
        var flagLists = new FlagListCache();
        if (items.TrueForAll(i => i.Kind is FetchKind.Uid or FetchKind.Flags or FetchKind.ModSeq))
        {
            await WriteFlagsOnlyAsync(session, view, known, items, changedSince, flagLists);
            return;
        }

        var condstore = session.CondStore || session.QResync;
        var setsSeen = !view.ReadOnly && items.Any(i => i.Kind is FetchKind.Section or FetchKind.Binary && !i.Peek);
        // ENVELOPE, BODYSTRUCTURE and sections need no summary field beyond UID, MODSEQ and flags: the narrow read
        // leaves out the blob row, whose CRLF size sits after the large metadata record on disk.
        var needsSummary = items.Any(i => i.Kind is FetchKind.InternalDate or FetchKind.Size or FetchKind.EmailId or FetchKind.SaveDate);
        var needsMetadata = items.Any(i => i.Kind is FetchKind.Envelope or FetchKind.Body or FetchKind.BodyStructure or FetchKind.Section or FetchKind.Binary or FetchKind.BinarySize or FetchKind.Preview);
        for (var start = 0; start < known.Count; start += BatchSize)
        {
            var batchSet = UidSet.FromRanges(Ranges(known, start, Math.Min(BatchSize, known.Count - start)));
            var summaries = needsSummary
                ? await account.FetchAsync(view.MailboxId, batchSet, changedSince)
                : FlagsOnly(await account.FetchFlagsAsync(view.MailboxId, batchSet, changedSince));
            // One read for the batch's envelopes and body structures, not one per message.
            var structures = needsMetadata && summaries.Count > 0
                ? (await account.GetStructuresAsync(view.MailboxId, UidSet.FromRanges(summaries.Select(m => (m.Uid, m.Uid))))).ToDictionary(m => m.Uid)
                : null;
            var seenNow = new Dictionary<uint, StoredFlags>();
            if (setsSeen)
            {
                var unseen = summaries.Where(s => !s.Flags.Has(SystemFlags.Seen)).Select(s => (s.Uid, s.Uid)).ToList();
                if (unseen.Count > 0)
                {
                    var stored = await account.StoreFlagsAsync(view.MailboxId, UidSet.FromRanges(unseen), new FlagChange(FlagOperation.Add, new MessageFlags(SystemFlags.Seen, [])));
                    foreach (var changed in stored.Changed)
                    {
                        seenNow[changed.Uid] = changed;
                        view.NoteReported(changed.Uid, changed.ModSeq);
                    }
                }
            }

            foreach (var summary in summaries)
            {
                var seq = view.SequenceOf(summary.Uid);
                if (seq == 0)
                {
                    continue;
                }

                var current = seenNow.TryGetValue(summary.Uid, out var s) ? summary with { Flags = s.Flags, ModSeq = s.ModSeq } : summary;
                var structure = structures is null ? null
                    : structures.GetValueOrDefault(summary.Uid) ?? throw new StoreException(StoreError.NotFound, "A message was expunged while it was fetched.");
                await WriteMessageAsync(session, view, seq, current, items, structure, seenNow.ContainsKey(summary.Uid), condstore, flagLists);
                if (session.Transport.Output.UnflushedBytes > FlushThreshold)
                {
                    await session.FlushAsync();
                }
            }
        }
    }

    /// <summary>FETCH of UID, FLAGS and MODSEQ only (what a client resynchronising flags sends): one narrow read per
    /// <see cref="FlagBatchSize"/> messages, each distinct flag list formatted once, and each response line written
    /// straight into the output buffer in one piece.</summary>
    private static async Task WriteFlagsOnlyAsync(ImapSession session, SelectedMailboxView view, List<uint> known, List<FetchItem> items, ulong? changedSince, FlagListCache flagLists)
    {
        var account = session.RequireAccount();
        var output = session.Writer.Output;
        var kinds = items.ConvertAll(i => i.Kind).ToArray();
        for (var start = 0; start < known.Count; start += FlagBatchSize)
        {
            var count = Math.Min(FlagBatchSize, known.Count - start);
            var batchSet = UidSet.FromRanges(Ranges(known, start, count));
            foreach (var message in await account.FetchFlagsAsync(view.MailboxId, batchSet, changedSince))
            {
                var seq = view.SequenceOf(message.Uid);
                if (seq == 0)
                {
                    continue;
                }

                var flags = flagLists.Get(message.Flags);
                // "* " seq " FETCH (" … ")" CRLF, each item at most its name, a space and 20 digits or the flag list.
                var span = output.GetSpan(32 + (kinds.Length * (32 + flags.Length)));
                "* "u8.CopyTo(span);
                var n = 2;
                Utf8Formatter.TryFormat((uint)seq, span[n..], out var written);
                n += written;
                " FETCH ("u8.CopyTo(span[n..]);
                n += 8;
                for (var i = 0; i < kinds.Length; i++)
                {
                    if (i > 0)
                    {
                        span[n++] = (byte)' ';
                    }

                    switch (kinds[i])
                    {
                        case FetchKind.Uid:
                            "UID "u8.CopyTo(span[n..]);
                            n += 4;
                            Utf8Formatter.TryFormat(message.Uid, span[n..], out written);
                            n += written;
                            break;
                        case FetchKind.Flags:
                            "FLAGS "u8.CopyTo(span[n..]);
                            n += 6;
                            flags.CopyTo(span[n..]);
                            n += flags.Length;
                            break;
                        default:
                            "MODSEQ ("u8.CopyTo(span[n..]);
                            n += 8;
                            Utf8Formatter.TryFormat(message.ModSeq, span[n..], out written);
                            n += written;
                            span[n++] = (byte)')';
                            break;
                    }
                }

                ")\r\n"u8.CopyTo(span[n..]);
                output.Advance(n + 3);
                if (session.Transport.Output.UnflushedBytes > FlushThreshold)
                {
                    await session.FlushAsync();
                }
            }
        }
    }

    /// <summary>Summaries carrying only UID, MODSEQ and flags, for a FETCH that renders nothing else from them.</summary>
    private static List<MessageSummary> FlagsOnly(IReadOnlyList<StoredFlags> flags) =>
        [.. flags.Select(f => new MessageSummary(f.Uid, f.ModSeq, f.Flags, default, 0, string.Empty, default, string.Empty))];

    /// <summary>The UIDs <paramref name="known"/>[start..start+count] as ranges (consecutive UIDs merged), without a
    /// tuple per message when the mailbox has no gaps.</summary>
    private static List<(uint, uint)> Ranges(List<uint> known, int start, int count)
    {
        var ranges = new List<(uint, uint)>();
        var from = known[start];
        var to = from;
        for (var i = start + 1; i < start + count; i++)
        {
            if (known[i] == to + 1)
            {
                to = known[i];
                continue;
            }

            ranges.Add((from, to));
            from = to = known[i];
        }

        ranges.Add((from, to));
        return ranges;
    }

    private static async Task WriteMessageAsync(ImapSession session, SelectedMailboxView view, int seq, MessageSummary message, List<FetchItem> items, MessageStructure? metadata, bool flagsChanged, bool condstore, FlagListCache flagLists)
    {
        var account = session.RequireAccount();
        var utf8 = session.Utf8Names;
        var w = session.Writer;
        w.Raw("* "u8).Number((ulong)seq).Raw(" FETCH ("u8);
        var first = true;
        void Next()
        {
            if (!first)
            {
                w.Space();
            }

            first = false;
        }

        Stream? raw = null;
        try
        {
            foreach (var item in items)
            {
                switch (item.Kind)
                {
                    case FetchKind.Uid:
                        Next();
                        w.Raw("UID "u8).Number(message.Uid);
                        break;
                    case FetchKind.Flags:
                        Next();
                        w.Raw("FLAGS "u8).Raw(flagLists.Get(message.Flags));
                        break;
                    case FetchKind.InternalDate:
                        Next();
                        w.Raw("INTERNALDATE \""u8).Ascii(ImapDateTime.Format(message.InternalDate)).Raw("\""u8);
                        break;
                    case FetchKind.Size:
                        Next();
                        w.Raw("RFC822.SIZE "u8).Number((ulong)message.Size);
                        break;
                    case FetchKind.ModSeq:
                        Next();
                        w.Raw("MODSEQ ("u8).Number(message.ModSeq).Raw(")"u8);
                        break;
                    case FetchKind.EmailId:
                        Next();
                        w.Raw("EMAILID ("u8).Ascii(message.EmailId).Raw(")"u8);
                        break;
                    case FetchKind.ThreadId:
                        Next();
                        w.Raw("THREADID NIL"u8);
                        break;
                    case FetchKind.SaveDate:
                        Next();
                        w.Raw("SAVEDATE \""u8).Ascii(ImapDateTime.Format(message.SaveDate)).Raw("\""u8);
                        break;
                    case FetchKind.Preview:
                        Next();
                        w.Raw("PREVIEW "u8).String(metadata!.Preview, utf8);
                        break;
                    case FetchKind.Envelope:
                        Next();
                        w.Raw("ENVELOPE "u8);
                        EnvelopeWriter.Write(w.Output, metadata!.Envelope, utf8);
                        break;
                    case FetchKind.Body or FetchKind.BodyStructure:
                        Next();
                        w.Raw(item.Kind == FetchKind.Body ? "BODY "u8 : "BODYSTRUCTURE "u8);
                        BodyStructureWriter.Write(w.Output, metadata!.Body, item.Kind == FetchKind.BodyStructure, utf8);
                        break;
                    default:
                        Next();
                        raw ??= await account.OpenMessageAsync(view.MailboxId, message.Uid);
                        await WriteSectionAsync(session, item, metadata!.Body, raw);
                        break;
                }
            }
        }
        finally
        {
            if (raw is not null)
            {
                await raw.DisposeAsync();
            }
        }

        if (flagsChanged && !items.Any(i => i.Kind == FetchKind.Flags))
        {
            // RFC 9051 §6.4.5: the \Seen a body fetch set is reported in the same response.
            Next();
            w.Raw("FLAGS "u8).Raw(flagLists.Get(message.Flags));
        }

        if (flagsChanged && condstore)
        {
            // RFC 7162 §3.1: once CONDSTORE is enabled, a FETCH that implicitly set \Seen reports UID and MODSEQ too.
            if (!items.Any(i => i.Kind == FetchKind.Uid))
            {
                Next();
                w.Raw("UID "u8).Number(message.Uid);
            }

            if (!items.Any(i => i.Kind == FetchKind.ModSeq))
            {
                Next();
                w.Raw("MODSEQ ("u8).Number(message.ModSeq).Raw(")"u8);
            }
        }

        w.Raw(")"u8).Line();
    }

    private static async Task WriteSectionAsync(ImapSession session, FetchItem item, BodyPart body, Stream raw)
    {
        var w = session.Writer;
        var binary = item.Kind is FetchKind.Binary or FetchKind.BinarySize;
        raw.Position = 0;
        await using var data = await SectionContent.OpenAsync(item.Section!, body, raw, binary, CancellationToken.None);
        switch (data.Status)
        {
            case SectionStatus.UnknownCte:
                throw ImapCommandException.No("UNKNOWN-CTE", "Cannot decode this part's Content-Transfer-Encoding");
            case SectionStatus.NotBinary:
                throw ImapCommandException.Syntax("BINARY applies to single parts only");
            default:
                break;
        }

        w.Ascii(item.Label).Space();
        if (item.Kind == FetchKind.BinarySize)
        {
            w.Number((ulong)(data.NoSuchPart ? 0 : data.Length));
            return;
        }

        if (data.NoSuchPart)
        {
            w.Raw("\"\""u8);
            return;
        }

        var length = data.LengthOf(item.Partial);
        if (binary && data.ContainsNul)
        {
            w.Raw("~"u8);
        }

        w.LiteralHeader(length);
        await using var stream = session.Transport.Output.AsStream(leaveOpen: true);
        await data.CopyToAsync(stream, item.Partial, CancellationToken.None);
    }
}
