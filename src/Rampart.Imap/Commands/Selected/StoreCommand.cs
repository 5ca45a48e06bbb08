using System.Globalization;
using Rampart.Imap.Protocol;
using Rampart.Imap.Session;
using Rampart.Store.Model;

namespace Rampart.Imap.Commands.Selected;

/// <summary>STORE changes flags: FLAGS, +FLAGS, -FLAGS, each with .SILENT, and CONDSTORE's UNCHANGEDSINCE,
/// whose failures come back as <c>[MODIFIED set]</c>.</summary>
/// <remarks>RFC 9051 §6.4.6 (RFC 3501 §6.4.6), RFC 7162 §3.1.3. States: Selected.</remarks>
internal static class StoreCommand
{
    public static CommandDefinition Definition { get; } = new("STORE", SessionState.Selected, "RFC 9051 §6.4.6", ExecuteAsync, DefersExpunge: true);

    public static CommandDefinition UidDefinition { get; } = new("UID STORE", SessionState.Selected, "RFC 9051 §6.4.9", ExecuteAsync);

    private static async Task ExecuteAsync(ImapSession session, ImapCommand command)
    {
        var args = command.Arguments;
        var view = session.RequireSelected();
        args.Space();
        var set = args.SequenceSet();
        args.Space();
        ulong? unchangedSince = null;
        if (args.TryOpenList())
        {
            if (!args.TryKeyword("UNCHANGEDSINCE"u8))
            {
                throw ImapCommandException.Syntax("Unknown STORE modifier");
            }

            args.Space();
            unchangedSince = args.Number64();
            args.Expect((byte)')', ")");
            args.Space();
            session.CondStore = true;
        }

        var item = args.Atom().ToUpperInvariant();
        var operation = item[0] switch
        {
            '+' => FlagOperation.Add,
            '-' => FlagOperation.Remove,
            _ => FlagOperation.Replace,
        };
        var bare = item.TrimStart('+', '-');
        var silent = bare == "FLAGS.SILENT";
        if (!silent && bare != "FLAGS")
        {
            throw ImapCommandException.Syntax("Expected FLAGS, +FLAGS or -FLAGS");
        }

        args.Space();
        var names = new List<string>();
        args.ListOrSingle(() => names.Add(args.Flag()));
        args.RequireEnd();
        var flags = FlagList.Parse(names);
        if (view.ReadOnly)
        {
            throw ImapCommandException.No("READ-ONLY", "Mailbox is read-only");
        }

        var uids = view.Resolve(set, command.IsUid);
        var known = view.Known(uids);
        if (known.Count == 0)
        {
            return;
        }

        var result = await session.RequireAccount().StoreFlagsAsync(view.MailboxId, UidSet.FromRanges(known.Select(u => (u, u))), new FlagChange(operation, flags), unchangedSince);
        var condstore = session.CondStore || session.QResync;
        var reported = new List<StoredFlags>(result.Changed);
        if (!silent)
        {
            // RFC 9051 §6.4.6: a STORE without .SILENT returns "the updated value" of every message it names, also
            // when the change was a no-op (\Seen added to a message that had it): clients such as Python's imaplib
            // take the flags from that FETCH. Messages that failed UNCHANGEDSINCE are reported by [MODIFIED] only.
            var untouched = known.Except(result.Changed.Select(c => c.Uid)).Except(result.Modified).ToList();
            if (untouched.Count > 0)
            {
                var current = await session.RequireAccount().FetchAsync(view.MailboxId, UidSet.FromRanges(untouched.Select(u => (u, u))));
                reported.AddRange(current.Select(m => new StoredFlags(m.Uid, m.ModSeq, m.Flags)));
                reported.Sort((a, b) => a.Uid.CompareTo(b.Uid));
            }
        }

        foreach (var changed in reported)
        {
            var seq = view.SequenceOf(changed.Uid);
            if (seq == 0)
            {
                continue;
            }

            view.NoteReported(changed.Uid, changed.ModSeq);
            // RFC 7162 §3.1.3: with UNCHANGEDSINCE the new MODSEQ is reported even for .SILENT.
            if (silent && unchangedSince is null)
            {
                continue;
            }

            var w = session.Writer.Raw("* "u8).Number((ulong)seq).Raw(" FETCH ("u8);
            var first = true;
            if (!silent)
            {
                w.Raw("FLAGS "u8).Ascii(FlagList.Format(changed.Flags));
                first = false;
            }

            // RFC 7162 §3.1: once CONDSTORE is enabled, every untagged FETCH a STORE causes carries UID and MODSEQ.
            if (command.IsUid || condstore)
            {
                w.Raw(first ? "UID "u8 : " UID "u8).Number(changed.Uid);
                first = false;
            }

            if (condstore)
            {
                w.Raw(first ? "MODSEQ ("u8 : " MODSEQ ("u8).Number(changed.ModSeq).Raw(")"u8);
            }

            w.Raw(")"u8).Line();
        }

        if (result.Modified.Count > 0)
        {
            var modified = command.IsUid
                ? UidSet.FromRanges(result.Modified.Select(u => (u, u))).ToString()
                : string.Join(',', result.Modified.Select(u => view.SequenceOf(u).ToString(CultureInfo.InvariantCulture)));
            command.OkCode = "MODIFIED " + modified;
            command.OkText = "Some messages were modified since";
        }
    }
}
