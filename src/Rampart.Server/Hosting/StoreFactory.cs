using Microsoft.Extensions.Logging;
using Rampart.Server.Configuration;
using Rampart.Store;
using Rampart.Store.Sqlite;

namespace Rampart.Server.Hosting;

/// <summary>Opens the configured store backend (the embedded SQLite store in the data directory).</summary>
public static class StoreFactory
{
    public static async Task<IMailStore> OpenAsync(DataDirectory data, ServerConfiguration configuration, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var options = new SqliteStoreOptions
        {
            DataDirectory = data.Path,
            MaxMessageSize = configuration.Options.Store.MaxMessageSize,
        };
        try
        {
            return await SqliteMailStore.OpenAsync(options, loggerFactory, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StoreException)
        {
            throw new DataDirectoryException($"cannot open the store in {data.Path}: {e.Message}");
        }
    }
}
