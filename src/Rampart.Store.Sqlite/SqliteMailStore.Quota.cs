using Rampart.Store.Quota;

namespace Rampart.Store.Sqlite;

/// <summary>Quota limits: the account's <see cref="AccountQuotaSettings"/> record over the server's
/// <see cref="SqliteStoreOptions.DefaultQuota"/>, read at each write so that <c>rampart user quota</c> applies at once.</summary>
public sealed partial class SqliteMailStore
{
    /// <summary>The limits in force for account <paramref name="accountId"/> now.</summary>
    internal QuotaLimits QuotaOf(long accountId)
    {
        using var connection = OpenDirectory();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM secrets WHERE account_id = $i AND kind = $k";
        command.Parameters.AddWithValue("$i", accountId);
        command.Parameters.AddWithValue("$k", AccountQuotaSettings.RecordKind);
        return AccountQuotaSettings.Parse(command.ExecuteScalar() as string).Over(options.DefaultQuota);
    }
}
