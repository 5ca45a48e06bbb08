using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Rampart.Store.Sqlite.Schema;

/// <summary>How Rampart opens its SQLite databases: WAL (readers never block the writer), foreign keys, a busy
/// timeout for locks held by another process, and <c>synchronous=FULL</c> when durable (a commit is fsynced
/// before it returns).</summary>
internal static class SqliteConnections
{
    /// <summary>Native connections whose reader settings are already made. A pooled connection keeps them, so a
    /// reader opened from the pool (every FETCH, RETR, mailbox lookup) runs no PRAGMA at all.</summary>
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Prepared = [];

    private static readonly object Done = new();

    public static string Build(string path, SqliteStoreOptions options) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        ForeignKeys = true,
        DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
    }.ToString();

    public static SqliteConnection Open(string connectionString, SqliteStoreOptions options, bool isWriter)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            if (!isWriter && Prepared.TryGetValue(connection.Handle!, out _))
            {
                return connection;
            }

            using var command = connection.CreateCommand();
            var busy = ((long)options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            command.CommandText = isWriter
                ? $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {(options.Durable ? "FULL" : "OFF")}; PRAGMA busy_timeout = {busy};"
                : $"PRAGMA busy_timeout = {busy};";
            command.ExecuteNonQuery();
            if (!isWriter)
            {
                Prepared.AddOrUpdate(connection.Handle!, Done);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
