using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Rampart.Store.Sqlite.Schema;

/// <summary>How Rampart opens its SQLite databases: WAL (readers never block the writer), foreign keys, a busy
/// timeout for locks held by another process, and <c>synchronous=FULL</c> when durable (a commit is fsynced
/// before it returns).</summary>
internal static class SqliteConnections
{
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
            using var command = connection.CreateCommand();
            var busy = ((long)options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            command.CommandText = isWriter
                ? $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {(options.Durable ? "FULL" : "OFF")}; PRAGMA busy_timeout = {busy};"
                : $"PRAGMA busy_timeout = {busy};";
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
