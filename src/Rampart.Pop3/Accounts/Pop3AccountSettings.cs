using System.Text.Json;
using System.Text.Json.Serialization;
using Rampart.Store;

namespace Rampart.Pop3.Accounts;

/// <summary>
/// What an admin set for one account's POP3 access (<c>rampart user pop3</c>, <c>rampart user legacy</c>): whether POP3
/// is allowed, a retention policy that overrides the server's <c>Pop3:Retention</c>, and whether the account logs in
/// with APOP (RFC 1939 §7) instead of USER/PASS. Kept as the per-account record <see cref="RecordKind"/> in the store;
/// an account without the record has the defaults (POP3 on, the server's retention, no APOP).
/// </summary>
public sealed record Pop3AccountSettings
{
    /// <summary>The store's per-account record kind (<see cref="IMailStore.GetSecretAsync"/>).</summary>
    public const string RecordKind = "pop3-settings";

    /// <summary>The settings of an account nobody configured.</summary>
    public static Pop3AccountSettings Default { get; } = new();

    /// <summary>Whether the account may use POP3 at all. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The account's own retention mode, or null for the server's (<c>Pop3:Retention</c>).</summary>
    public Pop3RetentionMode? RetentionMode { get; init; }

    /// <summary>Days for <see cref="Pop3RetentionMode.KeepDays"/>; ignored for the other modes.</summary>
    public int? RetentionDays { get; init; }

    /// <summary>
    /// Whether the account logs in with APOP. It also needs the password-equivalent secret (Rampart.Security's
    /// <c>LegacySecrets</c>); an account with APOP gets APOP, not USER/PASS (its password never crosses the wire).
    /// Default false (SECURITY.md A09).
    /// </summary>
    public bool Apop { get; init; }

    /// <summary>The retention policy in force for this account: its own, or <paramref name="server"/>'s.</summary>
    public Pop3RetentionOptions RetentionOver(Pop3RetentionOptions server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return RetentionMode is not { } mode
            ? server
            : new Pop3RetentionOptions { Mode = mode, Days = RetentionDays ?? server.Days };
    }

    /// <summary>Reads the settings of account <paramref name="accountId"/>; the defaults when it has none, or when the
    /// record cannot be read (a record a newer Rampart wrote keeps working: unknown members are ignored).</summary>
    public static async Task<Pop3AccountSettings> ReadAsync(IMailStore store, long accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var json = await store.GetSecretAsync(accountId, RecordKind, cancellationToken).ConfigureAwait(false);
        if (json is null)
        {
            return Default;
        }

        try
        {
            return JsonSerializer.Deserialize(json, Pop3SettingsJsonContext.Default.Pop3AccountSettings) ?? Default;
        }
        catch (JsonException)
        {
            return Default;
        }
    }

    /// <summary>Writes the settings of account <paramref name="accountId"/> durably; the defaults remove the record.</summary>
    public static Task WriteAsync(IMailStore store, long accountId, Pop3AccountSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.RetentionMode == Pop3RetentionMode.KeepDays && settings.RetentionDays is not > 0)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.RetentionDays, "KeepDays needs at least 1 day.");
        }

        var json = settings == Default ? null : JsonSerializer.Serialize(settings, Pop3SettingsJsonContext.Default.Pop3AccountSettings);
        return store.SetSecretAsync(accountId, RecordKind, json, cancellationToken);
    }
}

/// <summary>Source-generated serializer for <see cref="Pop3AccountSettings"/> (no reflection; trimming-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Pop3AccountSettings))]
internal sealed partial class Pop3SettingsJsonContext : JsonSerializerContext;
