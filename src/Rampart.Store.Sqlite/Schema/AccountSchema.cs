using Microsoft.Data.Sqlite;

namespace Rampart.Store.Sqlite.Schema;

/// <summary>One account's database (<c>accounts/&lt;id&gt;.db</c>): mailboxes, messages, keywords, the blobs it refers
/// to with their metadata and full-text index, the expunge log (QRESYNC) and the change log (change feed).</summary>
/// <remarks>
/// <para>Mailbox ids are never reused (AUTOINCREMENT): a session holding the id of a deleted mailbox must get
/// NotFound, not another mailbox.</para>
/// <para><c>counters</c> holds the account's MODSEQ (RFC 7162: every change takes the next value, so each mailbox's
/// HIGHESTMODSEQ strictly increases) and the UIDVALIDITY counter, seeded with the creation time and only ever
/// incremented, so a name never sees a UIDVALIDITY twice (RFC 9051 §2.3.1.1).</para>
/// <para><c>blobs</c> holds each body's metadata once per account however many mailboxes hold it; <c>blob_text</c> is an
/// FTS5 trigram index (case-insensitive substring search, as SEARCH TEXT/BODY need) whose rowid is the blob's; a new
/// blob's text waits in <c>blob_text_pending</c> until the account writer indexes it in a batch
/// (<see cref="Accounts.TextIndex"/>).</para>
/// <para><c>mailbox_counts</c> holds each mailbox's message count, unseen count and total size, kept by triggers on
/// <c>messages</c> (a mailbox without a row has none).</para>
/// <para><c>blob_structures</c> holds, per blob, the envelope, body structure and preview in
/// <see cref="Rampart.Store.Mime.MessageStructureCodec"/>'s compact form (what FETCH reads); <c>blobs.metadata</c> keeps
/// the full record.</para>
/// <para>Dates: <c>internal_day</c>/<c>sent_day</c> are yyyymmdd in the date's own zone, <c>save_day</c> in UTC, so
/// BEFORE/ON/SINCE compare dates "disregarding time and timezone" (RFC 9051 §6.4.4).</para>
/// </remarks>
internal static class AccountSchema
{
    public static IReadOnlyList<Action<SqliteConnection, SqliteTransaction>> Steps { get; } =
    [
        static (c, t) => SchemaMigrator.Execute(c, t, """
            CREATE TABLE counters (
                name TEXT PRIMARY KEY,
                value INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE mailboxes (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE,
                special_use INTEGER NOT NULL DEFAULT 0,
                uid_validity INTEGER NOT NULL,
                uid_next INTEGER NOT NULL DEFAULT 1,
                highest_modseq INTEGER NOT NULL
            );
            CREATE TABLE subscriptions (
                name TEXT PRIMARY KEY
            ) WITHOUT ROWID;
            CREATE TABLE blobs (
                id INTEGER PRIMARY KEY,
                hash TEXT NOT NULL UNIQUE,
                email_id TEXT NOT NULL,
                size INTEGER NOT NULL,
                metadata BLOB NOT NULL,
                subject TEXT NOT NULL DEFAULT '',
                from_addr TEXT NOT NULL DEFAULT '',
                to_addr TEXT NOT NULL DEFAULT '',
                cc_addr TEXT NOT NULL DEFAULT '',
                bcc_addr TEXT NOT NULL DEFAULT '',
                sent_date INTEGER,
                sent_day INTEGER,
                message_id TEXT,
                sort_subject TEXT NOT NULL DEFAULT '',
                sort_from TEXT NOT NULL DEFAULT '',
                sort_to TEXT NOT NULL DEFAULT '',
                sort_cc TEXT NOT NULL DEFAULT '',
                display_from TEXT NOT NULL DEFAULT '',
                display_to TEXT NOT NULL DEFAULT ''
            );
            CREATE INDEX blobs_email_id ON blobs(email_id);
            CREATE VIRTUAL TABLE blob_text USING fts5(header_text, body_text, tokenize = 'trigram');
            CREATE TABLE messages (
                mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
                uid INTEGER NOT NULL,
                blob_id INTEGER NOT NULL REFERENCES blobs(id),
                modseq INTEGER NOT NULL,
                flags INTEGER NOT NULL,
                internal_date INTEGER NOT NULL,
                internal_offset INTEGER NOT NULL,
                internal_day INTEGER NOT NULL,
                save_date INTEGER NOT NULL,
                save_day INTEGER NOT NULL,
                size INTEGER NOT NULL,
                PRIMARY KEY (mailbox_id, uid)
            ) WITHOUT ROWID;
            CREATE INDEX messages_blob ON messages(blob_id);
            CREATE INDEX messages_modseq ON messages(mailbox_id, modseq);
            CREATE TABLE keywords (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE
            );
            CREATE TABLE message_keywords (
                mailbox_id INTEGER NOT NULL,
                uid INTEGER NOT NULL,
                keyword_id INTEGER NOT NULL REFERENCES keywords(id),
                PRIMARY KEY (mailbox_id, uid, keyword_id),
                FOREIGN KEY (mailbox_id, uid) REFERENCES messages(mailbox_id, uid) ON DELETE CASCADE ON UPDATE CASCADE
            ) WITHOUT ROWID;
            CREATE INDEX message_keywords_keyword ON message_keywords(keyword_id);
            CREATE TABLE expunged (
                mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
                uid INTEGER NOT NULL,
                modseq INTEGER NOT NULL,
                PRIMARY KEY (mailbox_id, uid)
            ) WITHOUT ROWID;
            CREATE INDEX expunged_modseq ON expunged(mailbox_id, modseq);
            CREATE TABLE changes (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                kind INTEGER NOT NULL,
                data TEXT NOT NULL
            );
            """),

        // Version 2: the size with CRLF line ends, counted at delivery, so POP3 LIST/STAT read no message body
        // (RFC 1939 §5). Blobs stored before it keep NULL and their reader counts them.
        static (c, t) => SchemaMigrator.Execute(c, t, "ALTER TABLE blobs ADD COLUMN wire_size INTEGER"),

        // Version 3: what FETCH renders (envelope, body structure, preview) in a table of its own, so a FETCH of
        // ENVELOPE or BODYSTRUCTURE over a mailbox reads a few hundred bytes per message, not the whole metadata
        // record whose search texts are most of it (and whose overflow pages a column after it would drag in).
        // Existing blobs are filled in here, in batches.
        static (c, t) =>
        {
            SchemaMigrator.Execute(c, t, """
                CREATE TABLE IF NOT EXISTS blob_structures (
                    blob_id INTEGER PRIMARY KEY REFERENCES blobs(id) ON DELETE CASCADE,
                    data BLOB NOT NULL
                );
                """);
            StructureBackfill.Run(c, t);
        },

        // Version 4: each mailbox's message count, unseen count and total size kept by triggers as messages come, go,
        // move and change \Seen, so STATUS, SELECT, APPEND's mailbox check and the quota read one row per mailbox
        // instead of summing every message (an APPEND to a mailbox of n messages used to cost O(n) twice). The
        // triggers fire only on the columns they count; a flag change that leaves \Seen alone costs nothing.
        static (c, t) => SchemaMigrator.Execute(c, t, """
            CREATE TABLE mailbox_counts (
                mailbox_id INTEGER PRIMARY KEY REFERENCES mailboxes(id) ON DELETE CASCADE,
                messages INTEGER NOT NULL,
                unseen INTEGER NOT NULL,
                size INTEGER NOT NULL
            );
            INSERT INTO mailbox_counts (mailbox_id, messages, unseen, size)
                SELECT mailbox_id, count(*), sum((flags & 1) = 0), sum(size) FROM messages GROUP BY mailbox_id;
            CREATE TRIGGER messages_counted_insert AFTER INSERT ON messages BEGIN
                INSERT INTO mailbox_counts (mailbox_id, messages, unseen, size) VALUES (NEW.mailbox_id, 1, (NEW.flags & 1) = 0, NEW.size)
                    ON CONFLICT (mailbox_id) DO UPDATE SET messages = messages + 1, unseen = unseen + excluded.unseen, size = size + excluded.size;
            END;
            CREATE TRIGGER messages_counted_delete AFTER DELETE ON messages BEGIN
                UPDATE mailbox_counts SET messages = messages - 1, unseen = unseen - ((OLD.flags & 1) = 0), size = size - OLD.size
                    WHERE mailbox_id = OLD.mailbox_id;
            END;
            CREATE TRIGGER messages_counted_update AFTER UPDATE OF mailbox_id, flags, size ON messages
                WHEN OLD.mailbox_id <> NEW.mailbox_id OR (OLD.flags & 1) <> (NEW.flags & 1) OR OLD.size <> NEW.size
            BEGIN
                UPDATE mailbox_counts SET messages = messages - 1, unseen = unseen - ((OLD.flags & 1) = 0), size = size - OLD.size
                    WHERE mailbox_id = OLD.mailbox_id;
                INSERT INTO mailbox_counts (mailbox_id, messages, unseen, size) VALUES (NEW.mailbox_id, 1, (NEW.flags & 1) = 0, NEW.size)
                    ON CONFLICT (mailbox_id) DO UPDATE SET messages = messages + 1, unseen = unseen + excluded.unseen, size = size + excluded.size;
            END;
            """),

        // Version 5: a new message's search text waits in blob_text_pending and reaches the FTS5 index (blob_text)
        // in batches, after its commit, instead of inside it: the trigram index was half the account writer's work
        // per message. A search first moves whatever is pending (SqliteAccountStore.SearchAsync), so it never misses
        // a committed message; a crash keeps the pending rows and the next search or flush indexes them.
        static (c, t) => SchemaMigrator.Execute(c, t, """
            CREATE TABLE blob_text_pending (
                blob_id INTEGER PRIMARY KEY REFERENCES blobs(id) ON DELETE CASCADE,
                header_text TEXT NOT NULL,
                body_text TEXT NOT NULL
            );
            """),
    ];
}
