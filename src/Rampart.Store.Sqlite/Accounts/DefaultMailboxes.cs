using Microsoft.Data.Sqlite;
using Rampart.Store.Model;

namespace Rampart.Store.Sqlite.Accounts;

/// <summary>The mailboxes every new account starts with, subscribed, with their RFC 6154 special-use attributes.</summary>
internal static class DefaultMailboxes
{
    public static IReadOnlyList<(string Name, SpecialUse Use)> All { get; } =
    [
        ("INBOX", SpecialUse.None),
        ("Sent", SpecialUse.Sent),
        ("Drafts", SpecialUse.Drafts),
        ("Trash", SpecialUse.Trash),
        ("Junk", SpecialUse.Junk),
        ("Archive", SpecialUse.Archive),
    ];

    /// <summary>Seeds the counters and default mailboxes of a database that has none yet. The UIDVALIDITY counter
    /// starts at the creation time in seconds, so a deleted and recreated account does not repeat old values either.</summary>
    public static void SeedIfEmpty(SqliteConnection connection, SqliteTransaction transaction)
    {
        using (var check = connection.CreateCommand())
        {
            check.Transaction = transaction;
            check.CommandText = "SELECT count(*) FROM counters";
            if ((long)check.ExecuteScalar()! > 0)
            {
                return;
            }
        }

        var context = new WriteContext(connection, transaction, 0);
        context.Execute("INSERT INTO counters (name, value) VALUES ('modseq', 1), ('uidvalidity', $seed)", ("$seed", DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        foreach (var (name, use) in All)
        {
            var uidValidity = context.NextUidValidity();
            context.Execute(
                "INSERT INTO mailboxes (name, special_use, uid_validity, uid_next, highest_modseq) VALUES ($n, $u, $v, 1, 1)",
                ("$n", name),
                ("$u", (int)use),
                ("$v", (long)uidValidity));
            context.Execute("INSERT OR IGNORE INTO subscriptions (name) VALUES ($n)", ("$n", name));
        }
    }
}
