using Microsoft.Extensions.Logging;
using Rampart.Server.Configuration;
using Rampart.Store;
using Rampart.Store.Quota;
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
            DefaultQuota = DefaultQuota(configuration.Options.Store.Quota),
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

    /// <summary>The configured default quota (validated by the configuration loader).</summary>
    public static QuotaLimits DefaultQuota(QuotaSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return QuotaSize.TryParse(settings.Storage, out var storage)
            ? new QuotaLimits(storage, settings.Messages)
            : throw new ConfigurationException($"Store:Quota:Storage '{settings.Storage}' is not a size");
    }
}
