using System.Text;
using Microsoft.Data.Sqlite;
using Rampart.Store.Changes;
using Rampart.Store.Model;

namespace Rampart.Store.Sqlite.Accounts;

/// <summary>The message writes, each run by the account writer inside its batch transaction.</summary>
internal static class MessageWrites
{
    /// <summary>Appends a durable blob to a mailbox (APPEND, delivery): one new UID and one new MODSEQ.</summary>
    public static AppendResult Append(WriteContext context, string mailbox, PreparedMessage message, MessageFlags flags, DateTimeOffset internalDate)
    {
        var box = MailboxRow.RequireByName(context, mailbox);
        var keywordIds = Keywords.Resolve(context, flags.Keywords, create: true);
        var blobId = EnsureBlob(context, message);
        var modSeq = context.NextModSeq();
        var uid = box.UidNext;
        var now = DateTimeOffset.UtcNow;
        var date = DateTimeOffset.FromUnixTimeSeconds(internalDate.ToUnixTimeSeconds()).ToOffset(internalDate.Offset);
        context.Execute(
            """
            INSERT INTO messages (mailbox_id, uid, blob_id, modseq, flags, internal_date, internal_offset, internal_day, save_date, save_day, size)
            VALUES ($m, $u, $b, $s, $f, $d, $o, $dd, $sd, $sdd, $z)
            """,
            ("$m", box.Id),
            ("$u", (long)uid),
            ("$b", blobId),
            ("$s", (long)modSeq),
            ("$f", (int)flags.System),
            ("$d", date.ToUnixTimeSeconds()),
            ("$o", (int)date.Offset.TotalMinutes),
            ("$dd", Day(date)),
            ("$sd", now.ToUnixTimeMilliseconds()),
            ("$sdd", Day(now)),
            ("$z", message.Blob.Size));
        Keywords.Link(context, box.Id, uid, keywordIds.Keys);
        AdvanceMailbox(context, box.Id, uid + 1, modSeq);
        context.Log(new MessageAdded(box.Id, uid, modSeq));
        return new AppendResult(box.Id, box.UidValidity, uid, modSeq, message.Blob.Hash, message.Blob.Size);
    }

    /// <summary>STORE (RFC 9051 §6.4.6) with optional UNCHANGEDSINCE (RFC 7162 §3.1.3). A message whose flags would
    /// not change keeps its MODSEQ (RFC 7162 allows either; not bumping keeps CONDSTORE clients from refetching).</summary>
    public static StoreResult StoreFlags(WriteContext context, long mailboxId, UidSet uids, FlagChange change, ulong? unchangedSince)
    {
        var box = MailboxRow.RequireById(context, mailboxId);
        var rows = new List<(uint Uid, ulong ModSeq, SystemFlags Flags)>();
        using (var command = context.Command(string.Empty))
        {
            var sql = new StringBuilder("SELECT uid, modseq, flags FROM messages WHERE mailbox_id = $m AND ");
            command.Parameters.AddWithValue("$m", box.Id);
            UidFilter.Append(sql, command, uids, "uid");
            command.CommandText = sql.Append(" ORDER BY uid").ToString();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(((uint)reader.GetInt64(0), (ulong)reader.GetInt64(1), (SystemFlags)reader.GetInt32(2)));
            }
        }

        var current = LoadKeywordIds(context, box.Id, uids);
        var given = Keywords.Resolve(context, change.Flags.Keywords, create: change.Operation != FlagOperation.Remove);
        var changed = new List<StoredFlags>();
        var modified = new List<uint>();
        ulong modSeq = 0;
        using var update = context.Command("UPDATE messages SET flags = $f, modseq = $s WHERE mailbox_id = $m AND uid = $u");
        var pf = update.Parameters.Add("$f", SqliteType.Integer);
        var ps = update.Parameters.Add("$s", SqliteType.Integer);
        update.Parameters.AddWithValue("$m", box.Id);
        var pu = update.Parameters.Add("$u", SqliteType.Integer);
        foreach (var row in rows)
        {
            if (unchangedSince is { } since && row.ModSeq > since)
            {
                modified.Add(row.Uid);
                continue;
            }

            var had = current.TryGetValue(row.Uid, out var set) ? set : [];
            var system = change.Operation switch
            {
                FlagOperation.Replace => change.Flags.System,
                FlagOperation.Add => row.Flags | change.Flags.System,
                _ => row.Flags & ~change.Flags.System,
            };
            var add = change.Operation == FlagOperation.Remove ? [] : given.Keys.Where(k => !had.ContainsKey(k)).ToList();
            var remove = change.Operation switch
            {
                FlagOperation.Replace => had.Keys.Where(k => !given.ContainsKey(k)).ToList(),
                FlagOperation.Remove => had.Keys.Where(given.ContainsKey).ToList(),
                _ => [],
            };
            if (system == row.Flags && add.Count == 0 && remove.Count == 0)
            {
                continue;
            }

            if (modSeq == 0)
            {
                modSeq = context.NextModSeq();
            }

            pf.Value = (int)system;
            ps.Value = (long)modSeq;
            pu.Value = (long)row.Uid;
            update.ExecuteNonQuery();
            Keywords.Unlink(context, box.Id, row.Uid, remove);
            Keywords.Link(context, box.Id, row.Uid, add);
            foreach (var id in remove)
            {
                had.Remove(id);
            }

            foreach (var id in add)
            {
                had[id] = given[id];
            }

            var flags = Keywords.Flags(system, had.Values);
            changed.Add(new StoredFlags(row.Uid, modSeq, flags));
            context.Log(new FlagsChanged(box.Id, row.Uid, modSeq, flags));
        }

        if (modSeq != 0)
        {
            AdvanceMailbox(context, box.Id, box.UidNext, modSeq);
        }

        return new StoreResult(changed, modified);
    }

    /// <summary>EXPUNGE / UID EXPUNGE: removes \Deleted messages and records them in the expunge log at a new MODSEQ.</summary>
    public static ExpungeResult Expunge(WriteContext context, long mailboxId, UidSet? uids)
    {
        var box = MailboxRow.RequireById(context, mailboxId);
        var doomed = new List<uint>();
        using (var command = context.Command(string.Empty))
        {
            var sql = new StringBuilder("SELECT uid FROM messages WHERE mailbox_id = $m AND (flags & $d) <> 0");
            command.Parameters.AddWithValue("$m", box.Id);
            command.Parameters.AddWithValue("$d", (int)SystemFlags.Deleted);
            if (uids is not null)
            {
                sql.Append(" AND ");
                UidFilter.Append(sql, command, uids, "uid");
            }

            command.CommandText = sql.Append(" ORDER BY uid").ToString();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                doomed.Add((uint)reader.GetInt64(0));
            }
        }

        if (doomed.Count == 0)
        {
            return new ExpungeResult([], box.HighestModSeq);
        }

        var modSeq = context.NextModSeq();
        Remove(context, box.Id, doomed, modSeq);
        AdvanceMailbox(context, box.Id, box.UidNext, modSeq);
        return new ExpungeResult(doomed, modSeq);
    }

    /// <summary>COPY/MOVE (RFC 4315 COPYUID, RFC 6851): the same blobs under new UIDs, assigned in ascending source
    /// order; MOVE also expunges the sources, in the same transaction.</summary>
    public static CopyResult Copy(WriteContext context, long sourceId, UidSet uids, string target, bool move)
    {
        var source = MailboxRow.RequireById(context, sourceId);
        var destination = MailboxRow.RequireByName(context, target);
        var sources = new List<uint>();
        using (var command = context.Command(string.Empty))
        {
            var sql = new StringBuilder("SELECT uid FROM messages WHERE mailbox_id = $m AND ");
            command.Parameters.AddWithValue("$m", source.Id);
            UidFilter.Append(sql, command, uids, "uid");
            command.CommandText = sql.Append(" ORDER BY uid").ToString();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                sources.Add((uint)reader.GetInt64(0));
            }
        }

        if (sources.Count == 0)
        {
            return new CopyResult(destination.Id, destination.UidValidity, [], []);
        }

        var modSeq = context.NextModSeq();
        var now = DateTimeOffset.UtcNow;
        var targets = new List<uint>(sources.Count);
        using var insert = context.Command(
            """
            INSERT INTO messages (mailbox_id, uid, blob_id, modseq, flags, internal_date, internal_offset, internal_day, save_date, save_day, size)
            SELECT $t, $nu, blob_id, $s, flags, internal_date, internal_offset, internal_day, $sd, $sdd, size
            FROM messages WHERE mailbox_id = $m AND uid = $u
            """);
        using var keywords = context.Command(
            "INSERT INTO message_keywords (mailbox_id, uid, keyword_id) SELECT $t, $nu, keyword_id FROM message_keywords WHERE mailbox_id = $m AND uid = $u");
        foreach (var command in new[] { insert, keywords })
        {
            command.Parameters.AddWithValue("$t", destination.Id);
            command.Parameters.AddWithValue("$m", source.Id);
            command.Parameters.Add("$nu", SqliteType.Integer);
            command.Parameters.Add("$u", SqliteType.Integer);
        }

        insert.Parameters.AddWithValue("$s", (long)modSeq);
        insert.Parameters.AddWithValue("$sd", now.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$sdd", Day(now));
        var next = destination.UidNext;
        foreach (var uid in sources)
        {
            if (next == uint.MaxValue)
            {
                throw new StoreException(StoreError.NotAllowed, "The target mailbox has used every UID.");
            }

            foreach (var command in new[] { insert, keywords })
            {
                command.Parameters["$nu"].Value = (long)next;
                command.Parameters["$u"].Value = (long)uid;
                command.ExecuteNonQuery();
            }

            targets.Add(next);
            context.Log(new MessageAdded(destination.Id, next, modSeq));
            next++;
        }

        AdvanceMailbox(context, destination.Id, next, modSeq);
        if (move)
        {
            Remove(context, source.Id, sources, modSeq);
            AdvanceMailbox(context, source.Id, source.Id == destination.Id ? next : source.UidNext, modSeq);
        }

        return new CopyResult(destination.Id, destination.UidValidity, sources, targets);
    }

    /// <summary>Deletes messages and records them in the expunge log (RFC 7162 §3.2.5 VANISHED) and the change log.</summary>
    public static void Remove(WriteContext context, long mailboxId, IReadOnlyList<uint> uids, ulong modSeq)
    {
        using var delete = context.Command("DELETE FROM messages WHERE mailbox_id = $m AND uid = $u");
        using var log = context.Command("INSERT OR REPLACE INTO expunged (mailbox_id, uid, modseq) VALUES ($m, $u, $s)");
        delete.Parameters.AddWithValue("$m", mailboxId);
        log.Parameters.AddWithValue("$m", mailboxId);
        log.Parameters.AddWithValue("$s", (long)modSeq);
        var du = delete.Parameters.Add("$u", SqliteType.Integer);
        var lu = log.Parameters.Add("$u", SqliteType.Integer);
        foreach (var uid in uids)
        {
            du.Value = (long)uid;
            lu.Value = (long)uid;
            delete.ExecuteNonQuery();
            log.ExecuteNonQuery();
        }

        context.Log(new MessagesExpunged(mailboxId, uids, modSeq));
    }

    /// <summary>yyyymmdd of a date in its own zone, as SEARCH compares dates (RFC 9051 §6.4.4).</summary>
    public static int Day(DateTimeOffset date) => (date.Year * 10000) + (date.Month * 100) + date.Day;

    public static void AdvanceMailbox(WriteContext context, long mailboxId, uint uidNext, ulong modSeq) =>
        context.Execute(
            "UPDATE mailboxes SET uid_next = max(uid_next, $n), highest_modseq = max(highest_modseq, $s) WHERE id = $m",
            ("$n", (long)uidNext),
            ("$s", (long)modSeq),
            ("$m", mailboxId));

    private static long EnsureBlob(WriteContext context, PreparedMessage message)
    {
        if (context.Scalar("SELECT id FROM blobs WHERE hash = $h", ("$h", message.Blob.Hash)) is long existing)
        {
            return existing;
        }

        var f = message.Metadata.Fields;
        var id = (long)context.Scalar(
            """
            INSERT INTO blobs (hash, email_id, size, metadata, subject, from_addr, to_addr, cc_addr, bcc_addr, sent_date, sent_day, message_id,
                               sort_subject, sort_from, sort_to, sort_cc, display_from, display_to, wire_size)
            VALUES ($h, $e, $z, $md, $su, $fr, $to, $cc, $bcc, $sd, $sdd, $mid, $ss, $sf, $st, $sc, $df, $dt, $ws)
            RETURNING id
            """,
            ("$h", message.Blob.Hash),
            ("$e", PreparedMessage.EmailId(context.AccountId, message.Blob.Hash)),
            ("$z", message.Blob.Size),
            ("$md", message.EncodedMetadata),
            ("$su", f.Subject),
            ("$fr", f.From),
            ("$to", f.To),
            ("$cc", f.Cc),
            ("$bcc", f.Bcc),
            ("$sd", f.Date?.ToUnixTimeSeconds()),
            ("$sdd", f.Date is { } d ? Day(d) : null),
            ("$mid", f.MessageId),
            ("$ss", f.SortSubject),
            ("$sf", f.SortFrom),
            ("$st", f.SortTo),
            ("$sc", f.SortCc),
            ("$df", f.DisplayFrom),
            ("$dt", f.DisplayTo),
            ("$ws", message.Blob.WireSize))!;
        // Indexed later, in a batch (TextIndex): the trigram index is the costliest part of a delivery's insert.
        context.Execute(
            "INSERT INTO blob_text_pending (blob_id, header_text, body_text) VALUES ($id, $h, $b)",
            ("$id", id),
            ("$h", message.Metadata.HeaderText),
            ("$b", message.Metadata.BodyText));
        context.TextPending = true;
        context.Execute("INSERT INTO blob_structures (blob_id, data) VALUES ($id, $d)", ("$id", id), ("$d", message.EncodedStructure));
        return id;
    }

    private static Dictionary<uint, Dictionary<long, string>> LoadKeywordIds(WriteContext context, long mailboxId, UidSet uids)
    {
        var result = new Dictionary<uint, Dictionary<long, string>>();
        using var command = context.Command(string.Empty);
        var sql = new StringBuilder("SELECT mk.uid, k.id, k.name FROM message_keywords mk JOIN keywords k ON k.id = mk.keyword_id WHERE mk.mailbox_id = $m AND ");
        command.Parameters.AddWithValue("$m", mailboxId);
        UidFilter.Append(sql, command, uids, "mk.uid");
        command.CommandText = sql.ToString();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var uid = (uint)reader.GetInt64(0);
            if (!result.TryGetValue(uid, out var set))
            {
                result[uid] = set = [];
            }

            set[reader.GetInt64(1)] = reader.GetString(2);
        }

        return result;
    }
}
