using Microsoft.Data.Sqlite;
using Rampart.Store.Changes;
using Rampart.Store.Sqlite.Changes;

namespace Rampart.Store.Sqlite.Accounts;

/// <summary>What one write sees inside the account writer's transaction: the connection, the counters, and the
/// change log, whose rows commit (or roll back) together with the change they describe.</summary>
internal sealed class WriteContext
{
    private readonly StatementCache? statements;

    /// <param name="connection">The writer connection.</param>
    /// <param name="transaction">The batch transaction.</param>
    /// <param name="accountId">The account.</param>
    /// <param name="statements">The writer's prepared statements, used by <see cref="Execute"/> and
    /// <see cref="Scalar"/>; null for a one-off write.</param>
    public WriteContext(SqliteConnection connection, SqliteTransaction transaction, long accountId, StatementCache? statements = null)
    {
        Connection = connection;
        Transaction = transaction;
        AccountId = accountId;
        this.statements = statements;
    }

    public SqliteConnection Connection { get; }

    public SqliteTransaction Transaction { get; }

    public long AccountId { get; }

    /// <summary>A write of this batch left search text to index (<see cref="TextIndex"/>).</summary>
    public bool TextPending { get; set; }

    public SqliteCommand Command(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }

    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        if (statements?.Get(sql, Transaction) is { } cached)
        {
            return Bind(cached, parameters).ExecuteNonQuery();
        }

        using var command = Bind(Command(sql), parameters);
        return command.ExecuteNonQuery();
    }

    public object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        object? result;
        if (statements?.Get(sql, Transaction) is { } cached)
        {
            result = Bind(cached, parameters).ExecuteScalar();
        }
        else
        {
            using var command = Bind(Command(sql), parameters);
            result = command.ExecuteScalar();
        }

        return result is DBNull ? null : result;
    }

    /// <summary>The account's next MODSEQ (RFC 7162 §3.1): one counter for all mailboxes, so every mailbox's
    /// HIGHESTMODSEQ strictly increases with each of its changes.</summary>
    public ulong NextModSeq() => (ulong)(long)Scalar("UPDATE counters SET value = value + 1 WHERE name = 'modseq' RETURNING value")!;

    /// <summary>The account's next UIDVALIDITY: a counter only ever incremented, so no name sees a value twice.</summary>
    public uint NextUidValidity()
    {
        var value = (long)Scalar("UPDATE counters SET value = value + 1 WHERE name = 'uidvalidity' RETURNING value")!;
        if (value > uint.MaxValue)
        {
            throw new StoreException(StoreError.NotAllowed, "The account has used every UIDVALIDITY value.");
        }

        return (uint)value;
    }

    private static SqliteCommand Bind(SqliteCommand command, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Records a change in the change log, in this transaction.</summary>
    public void Log(MailChange change)
    {
        var (kind, data) = ChangeCodec.Encode(change);
        Execute("INSERT INTO changes (kind, data) VALUES ($k, $d)", ("$k", kind), ("$d", data));
    }
}
