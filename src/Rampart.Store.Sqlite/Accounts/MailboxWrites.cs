using Rampart.Store.Changes;
using Rampart.Store.Model;
using Rampart.Store.Sqlite.Naming;

namespace Rampart.Store.Sqlite.Accounts;

/// <summary>The mailbox writes (RFC 9051 §6.3), each run by the account writer inside its batch transaction. Names
/// arrive canonical (see <see cref="MailboxName.Normalize"/>).</summary>
internal static class MailboxWrites
{
    /// <summary>CREATE: missing parents are created too (RFC 9051 §6.3.4).</summary>
    public static long Create(WriteContext context, string name, SpecialUse specialUse)
    {
        if (MailboxRow.ByName(context.Connection, context.Transaction, name) is not null)
        {
            throw new StoreException(StoreError.AlreadyExists, $"Mailbox {name} already exists.");
        }

        foreach (var parent in MailboxName.Parents(name))
        {
            if (MailboxRow.ByName(context.Connection, context.Transaction, parent) is null)
            {
                Insert(context, parent, SpecialUse.None);
            }
        }

        return Insert(context, name, specialUse);
    }

    /// <summary>RENAME (RFC 9051 §6.3.6): children move with the mailbox, subscriptions follow, UIDVALIDITY stays
    /// (every value is unique in the account, so the new name never saw it). Renaming INBOX moves its messages to a
    /// new mailbox and leaves INBOX, and its children, in place.</summary>
    public static void Rename(WriteContext context, string oldName, string newName)
    {
        var box = MailboxRow.RequireByName(context, oldName);
        if (MailboxName.IsInbox(newName) || newName.StartsWith(oldName + MailboxName.Separator, StringComparison.Ordinal))
        {
            throw new StoreException(StoreError.InvalidName, "A mailbox cannot be renamed to INBOX or into itself.");
        }

        if (MailboxRow.ByName(context.Connection, context.Transaction, newName) is not null)
        {
            throw new StoreException(StoreError.AlreadyExists, $"Mailbox {newName} already exists.");
        }

        if (MailboxName.IsInbox(oldName))
        {
            RenameInbox(context, box, newName);
            return;
        }

        var affected = new List<(long Id, string Old, string New)>();
        using (var command = context.Command("SELECT id, name FROM mailboxes WHERE name = $n OR substr(name, 1, length($p)) = $p ORDER BY name"))
        {
            command.Parameters.AddWithValue("$n", oldName);
            command.Parameters.AddWithValue("$p", oldName + MailboxName.Separator);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var name = reader.GetString(1);
                affected.Add((reader.GetInt64(0), name, newName + name[oldName.Length..]));
            }
        }

        foreach (var (_, _, target) in affected)
        {
            if (MailboxName.Normalize(target) != target || MailboxRow.ByName(context.Connection, context.Transaction, target) is not null)
            {
                throw new StoreException(StoreError.AlreadyExists, $"Mailbox {target} already exists.");
            }
        }

        foreach (var parent in MailboxName.Parents(newName))
        {
            if (MailboxRow.ByName(context.Connection, context.Transaction, parent) is null)
            {
                Insert(context, parent, SpecialUse.None);
            }
        }

        foreach (var (id, old, target) in affected)
        {
            context.Execute("UPDATE mailboxes SET name = $n WHERE id = $i", ("$n", target), ("$i", id));
            if (context.Execute("DELETE FROM subscriptions WHERE name = $o", ("$o", old)) > 0)
            {
                context.Execute("INSERT OR IGNORE INTO subscriptions (name) VALUES ($n)", ("$n", target));
            }

            context.Log(new MailboxRenamed(id, old, target));
        }
    }

    /// <summary>DELETE (RFC 9051 §6.3.5): not INBOX, not a mailbox with children; its messages go with it (their blobs
    /// stay until the sweep finds them unreferenced). The subscription is left alone, as the RFC asks.</summary>
    public static void Delete(WriteContext context, string name)
    {
        if (MailboxName.IsInbox(name))
        {
            throw new StoreException(StoreError.NotAllowed, "INBOX cannot be deleted.");
        }

        var box = MailboxRow.RequireByName(context, name);
        if (context.Scalar("SELECT 1 FROM mailboxes WHERE substr(name, 1, length($p)) = $p LIMIT 1", ("$p", name + MailboxName.Separator)) is not null)
        {
            throw new StoreException(StoreError.HasChildren, $"Mailbox {name} has children.");
        }

        context.Execute("DELETE FROM mailboxes WHERE id = $i", ("$i", box.Id));
        context.Log(new MailboxDeleted(box.Id, name));
    }

    /// <summary>SUBSCRIBE/UNSUBSCRIBE (RFC 9051 §6.3.7, §6.3.8); the name need not exist. Only a real change is logged.</summary>
    public static bool SetSubscribed(WriteContext context, string name, bool subscribed)
    {
        var changed = subscribed
            ? context.Execute("INSERT OR IGNORE INTO subscriptions (name) VALUES ($n)", ("$n", name)) > 0
            : context.Execute("DELETE FROM subscriptions WHERE name = $n", ("$n", name)) > 0;
        if (changed)
        {
            var id = MailboxRow.ByName(context.Connection, context.Transaction, name)?.Id ?? 0;
            context.Log(new SubscriptionChanged(id, name, subscribed));
        }

        return changed;
    }

    private static void RenameInbox(WriteContext context, MailboxRow inbox, string newName)
    {
        var targetId = Create(context, newName, SpecialUse.None);
        var uids = new List<uint>();
        using (var command = context.Command("SELECT uid FROM messages WHERE mailbox_id = $m ORDER BY uid"))
        {
            command.Parameters.AddWithValue("$m", inbox.Id);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                uids.Add((uint)reader.GetInt64(0));
            }
        }

        if (uids.Count == 0)
        {
            return;
        }

        // The new mailbox has a fresh UIDVALIDITY, so the messages keep their UIDs; keyword rows follow by ON UPDATE CASCADE.
        var modSeq = context.NextModSeq();
        context.Execute("UPDATE messages SET mailbox_id = $t, modseq = $s WHERE mailbox_id = $m", ("$t", targetId), ("$s", (long)modSeq), ("$m", inbox.Id));
        foreach (var uid in uids)
        {
            context.Log(new MessageAdded(targetId, uid, modSeq));
        }

        MessageWrites.AdvanceMailbox(context, targetId, inbox.UidNext, modSeq);
        using (var log = context.Command("INSERT OR REPLACE INTO expunged (mailbox_id, uid, modseq) VALUES ($m, $u, $s)"))
        {
            log.Parameters.AddWithValue("$m", inbox.Id);
            log.Parameters.AddWithValue("$s", (long)modSeq);
            var pu = log.Parameters.Add("$u", Microsoft.Data.Sqlite.SqliteType.Integer);
            foreach (var uid in uids)
            {
                pu.Value = (long)uid;
                log.ExecuteNonQuery();
            }
        }

        context.Log(new MessagesExpunged(inbox.Id, uids, modSeq));
        MessageWrites.AdvanceMailbox(context, inbox.Id, inbox.UidNext, modSeq);
    }

    private static long Insert(WriteContext context, string name, SpecialUse specialUse)
    {
        var uidValidity = context.NextUidValidity();
        var modSeq = context.NextModSeq();
        var id = (long)context.Scalar(
            "INSERT INTO mailboxes (name, special_use, uid_validity, uid_next, highest_modseq) VALUES ($n, $u, $v, 1, $s) RETURNING id",
            ("$n", name),
            ("$u", (int)specialUse),
            ("$v", (long)uidValidity),
            ("$s", (long)modSeq))!;
        context.Log(new MailboxCreated(id, name));
        return id;
    }
}
