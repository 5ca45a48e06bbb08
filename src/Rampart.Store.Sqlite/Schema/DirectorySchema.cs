using Microsoft.Data.Sqlite;

namespace Rampart.Store.Sqlite.Schema;

/// <summary>The directory database (<c>directory.db</c>): accounts, their addresses (unique across accounts) and
/// their opaque secret records. Account ids are never reused (AUTOINCREMENT), since they name the account's database file.</summary>
internal static class DirectorySchema
{
    public static IReadOnlyList<Action<SqliteConnection, SqliteTransaction>> Steps { get; } =
    [
        static (c, t) => SchemaMigrator.Execute(c, t, """
            CREATE TABLE accounts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                enabled INTEGER NOT NULL DEFAULT 1,
                created INTEGER NOT NULL
            );
            CREATE TABLE addresses (
                address TEXT PRIMARY KEY,
                account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE
            );
            CREATE INDEX addresses_account ON addresses(account_id);
            CREATE TABLE secrets (
                account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (account_id, kind)
            ) WITHOUT ROWID;
            """),
    ];
}
