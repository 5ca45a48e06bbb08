using Microsoft.Data.Sqlite;

namespace Rampart.Store.Sqlite.Schema;

/// <summary>Brings a database to the schema version this code knows, one step at a time, each step in its own
/// transaction; the version is SQLite's <c>PRAGMA user_version</c>. A database from a newer Rampart is refused.</summary>
internal static class SchemaMigrator
{
    /// <summary>Applies <paramref name="steps"/>[v] for every version v from the current one up; step v leads to v+1.</summary>
    public static void Migrate(SqliteConnection connection, string path, IReadOnlyList<Action<SqliteConnection, SqliteTransaction>> steps)
    {
        while (true)
        {
            using var transaction = connection.BeginTransaction();
            var version = Convert.ToInt32(Scalar(connection, transaction, "PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);
            if (version == steps.Count)
            {
                transaction.Commit();
                return;
            }

            if (version > steps.Count)
            {
                throw new IOException($"Database '{path}' has schema version {version}; this Rampart knows up to {steps.Count}. Use a newer Rampart.");
            }

            steps[version](connection, transaction);
            Execute(connection, transaction, $"PRAGMA user_version = {version + 1}");
            transaction.Commit();
        }
    }

    public static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
