using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Rampart.Bench.Delivery.Measurement;

/// <summary>Measures what the disk itself allows: durable small writes per second, on the filesystem that holds the
/// data directory. No store can acknowledge more single-message deliveries per second than this unless it groups
/// several deliveries into one sync (group commit); the delivery figures are read against these.</summary>
internal static class FsyncCeiling
{
    private const int FileSize = 4096;

    /// <summary>Create a 4 KB file, fsync it, fsync its directory: one durable new file.</summary>
    public static Task<RunResult> WriteFsyncAsync(string directory, int count, int workers)
    {
        var folder = Fresh(directory, "fsync-" + workers);
        var payload = Payload();
        return ConcurrentRun.RunAsync("4 KB file + fsync + dir fsync", count, workers, (_, index) =>
        {
            var path = Path.Combine(folder, index.ToString(CultureInfo.InvariantCulture));
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                file.Write(payload);
                file.Flush(flushToDisk: true);
            }

            NativeFile.SyncDirectory(folder);
            return ValueTask.FromResult((long)FileSize);
        });
    }

    /// <summary>The atomic-publish pattern a blob store uses: write a temporary file, fsync, rename into place, fsync
    /// the directory.</summary>
    public static Task<RunResult> WriteRenameAsync(string directory, int count, int workers)
    {
        var folder = Fresh(directory, "rename-" + workers);
        var temporary = Directory.CreateDirectory(Path.Combine(folder, "tmp")).FullName;
        var payload = Payload();
        return ConcurrentRun.RunAsync("4 KB tmp + fsync + rename + dir fsync", count, workers, (_, index) =>
        {
            var name = index.ToString(CultureInfo.InvariantCulture);
            var temp = Path.Combine(temporary, name);
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                file.Write(payload);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, Path.Combine(folder, name));
            NativeFile.SyncDirectory(folder);
            return ValueTask.FromResult((long)FileSize);
        });
    }

    /// <summary>One SQLite transaction per operation (WAL, synchronous=FULL: the commit fsyncs the WAL), each writer
    /// on its own connection to one database, as a store's metadata commit would be without grouping.</summary>
    public static async Task<RunResult> SqliteCommitAsync(string directory, int count, int workers)
    {
        var folder = Fresh(directory, "sqlite-" + workers);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, "probe.db"),
            Pooling = false,
            DefaultTimeout = 60,
        }.ToString();
        var connections = new SqliteConnection[workers];
        for (var i = 0; i < workers; i++)
        {
            connections[i] = new SqliteConnection(connectionString);
            connections[i].Open();
            Execute(connections[i], "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=60000;");
        }

        Execute(connections[0], "CREATE TABLE IF NOT EXISTS probe(id INTEGER PRIMARY KEY, body BLOB NOT NULL);");
        var payload = Payload();
        try
        {
            return await ConcurrentRun.RunAsync("SQLite commit (WAL, synchronous=FULL), 1 row", count, workers, (worker, _) =>
            {
                using var command = connections[worker].CreateCommand();
                // BEGIN IMMEDIATE takes the write lock up front, so concurrent writers queue on busy_timeout
                // instead of failing with SQLITE_BUSY on lock upgrade.
                command.CommandText = "BEGIN IMMEDIATE; INSERT INTO probe(body) VALUES ($body); COMMIT;";
                command.Parameters.AddWithValue("$body", payload);
                command.ExecuteNonQuery();
                return ValueTask.FromResult((long)FileSize);
            });
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>The SQLite library version the probe ran against.</summary>
    public static string SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version()";
        return (string)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Fresh(string directory, string name)
    {
        var folder = Path.Combine(directory, "probe", name);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return Directory.CreateDirectory(folder).FullName;
    }

    private static byte[] Payload()
    {
        var payload = new byte[FileSize];
        new Random(4096).NextBytes(payload);
        return payload;
    }
}
