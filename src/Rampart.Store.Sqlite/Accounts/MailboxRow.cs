using Microsoft.Data.Sqlite;
using Rampart.Store.Model;

namespace Rampart.Store.Sqlite.Accounts;

/// <summary>A <c>mailboxes</c> row.</summary>
internal sealed record MailboxRow(long Id, string Name, SpecialUse SpecialUse, uint UidValidity, uint UidNext, ulong HighestModSeq)
{
    private const string Columns = "id, name, special_use, uid_validity, uid_next, highest_modseq";

    public static MailboxRow? ByName(SqliteConnection connection, SqliteTransaction? transaction, string canonicalName) =>
        Read(connection, transaction, $"SELECT {Columns} FROM mailboxes WHERE name = $p", canonicalName);

    public static MailboxRow? ById(SqliteConnection connection, SqliteTransaction? transaction, long id) =>
        Read(connection, transaction, $"SELECT {Columns} FROM mailboxes WHERE id = $p", id);

    public static MailboxRow RequireByName(WriteContext context, string canonicalName) =>
        ByName(context.Connection, context.Transaction, canonicalName)
        ?? throw new StoreException(StoreError.NotFound, $"No mailbox named {canonicalName}.");

    public static MailboxRow RequireById(WriteContext context, long id) =>
        ById(context.Connection, context.Transaction, id)
        ?? throw new StoreException(StoreError.NotFound, "The mailbox no longer exists.");

    private static MailboxRow? Read(SqliteConnection connection, SqliteTransaction? transaction, string sql, object parameter)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$p", parameter);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new MailboxRow(reader.GetInt64(0), reader.GetString(1), (SpecialUse)reader.GetInt32(2), (uint)reader.GetInt64(3), (uint)reader.GetInt64(4), (ulong)reader.GetInt64(5))
            : null;
    }
}
