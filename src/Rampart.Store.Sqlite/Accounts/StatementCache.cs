using Microsoft.Data.Sqlite;

namespace Rampart.Store.Sqlite.Accounts;

/// <summary>The account writer's prepared statements, kept across its transactions: a delivery runs the same dozen
/// statements every time, and preparing them anew (parse and plan, in SQLite) was a large part of its write.</summary>
/// <remarks>Owned by the single writer connection and used only from its loop, so it needs no lock. A command is
/// handed out with no parameters and the given transaction; its caller must not dispose it.</remarks>
internal sealed class StatementCache(SqliteConnection connection) : IDisposable
{
    /// <summary>Most statements kept. The writes use a fixed set of texts; the bound only protects against a text
    /// built per call, which is then prepared, run and disposed as before.</summary>
    private const int MaxStatements = 128;

    private readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);

    /// <summary>A prepared command for <paramref name="sql"/>, or null when the cache is full (the caller then makes
    /// and disposes its own).</summary>
    public SqliteCommand? Get(string sql, SqliteTransaction transaction)
    {
        if (!commands.TryGetValue(sql, out var command))
        {
            if (commands.Count >= MaxStatements)
            {
                return null;
            }

            command = connection.CreateCommand();
            command.CommandText = sql;
            commands.Add(sql, command);
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    public void Dispose()
    {
        foreach (var command in commands.Values)
        {
            command.Dispose();
        }

        commands.Clear();
    }
}
