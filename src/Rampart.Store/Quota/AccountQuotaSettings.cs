using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rampart.Store.Quota;

/// <summary>
/// What an admin set for one account's quota (<c>rampart user quota</c>): per resource, the server's default
/// (<c>Store:Quota</c>), a limit of its own, or unlimited. Kept as the per-account record <see cref="RecordKind"/> in
/// the store, as the POP3 settings are; an account without the record follows the server's default. The store reads it
/// at each APPEND, COPY and delivery, so a change applies at once, to running servers too.
/// </summary>
public sealed record AccountQuotaSettings
{
    /// <summary>The store's per-account record kind (<see cref="IMailStore.GetSecretAsync"/>).</summary>
    public const string RecordKind = "quota-settings";

    /// <summary>The value of a resource that is explicitly unlimited for this account (whatever the server's default).</summary>
    public const long Unlimited = -1;

    /// <summary>The settings of an account nobody configured: the server's default for both resources.</summary>
    public static AccountQuotaSettings Default { get; } = new();

    /// <summary>The storage limit in KiB; <see cref="Unlimited"/> for none; null for the server's default.</summary>
    public long? StorageKiB { get; init; }

    /// <summary>The message-count limit; <see cref="Unlimited"/> for none; null for the server's default.</summary>
    public long? Messages { get; init; }

    /// <summary>The limits in force for this account, over the server's default <paramref name="server"/>.</summary>
    public QuotaLimits Over(QuotaLimits server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new QuotaLimits(Resolve(StorageKiB, server.StorageKiB), Resolve(Messages, server.Messages));
    }

    /// <summary>Reads the settings of account <paramref name="accountId"/>; the defaults when it has none or the record
    /// cannot be read (unknown members a newer Rampart wrote are ignored).</summary>
    public static async Task<AccountQuotaSettings> ReadAsync(IMailStore store, long accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return Parse(await store.GetSecretAsync(accountId, RecordKind, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Writes the settings of account <paramref name="accountId"/> durably; the defaults remove the record.</summary>
    public static Task WriteAsync(IMailStore store, long accountId, AccountQuotaSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.StorageKiB is < Unlimited or > QuotaSize.MaxKiB || settings.Messages is < Unlimited)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings, "A quota limit is a number from 0 up, or Unlimited.");
        }

        var json = settings == Default ? null : JsonSerializer.Serialize(settings, QuotaSettingsJsonContext.Default.AccountQuotaSettings);
        return store.SetSecretAsync(accountId, RecordKind, json, cancellationToken);
    }

    /// <summary>The settings in a stored record (null: none); the defaults when it cannot be read.</summary>
    public static AccountQuotaSettings Parse(string? json)
    {
        if (json is null)
        {
            return Default;
        }

        try
        {
            return JsonSerializer.Deserialize(json, QuotaSettingsJsonContext.Default.AccountQuotaSettings) ?? Default;
        }
        catch (JsonException)
        {
            return Default;
        }
    }

    private static long? Resolve(long? own, long? server) => own switch
    {
        null => server,
        < 0 => null,
        { } limit => limit,
    };
}

/// <summary>Source-generated serializer for <see cref="AccountQuotaSettings"/> (no reflection; trimming-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AccountQuotaSettings))]
internal sealed partial class QuotaSettingsJsonContext : JsonSerializerContext;
