using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Rampart.Security.Credentials;

namespace Rampart.Security.Guard;

/// <summary>
/// Keeps each account's known networks (where it logged in successfully) in its <c>known-networks</c> secret, so the
/// per-account throttle still spares the owner after a restart (B04). Written only when a login comes from a network
/// the account did not know, so a busy account costs no write per login. At most <see cref="MaxNetworks"/> per account,
/// the stalest dropped first.
/// </summary>
public sealed class KnownNetworkStore
{
    /// <summary>Networks remembered per account: 32.</summary>
    public const int MaxNetworks = 32;

    private readonly IAccountSecrets _secrets;
    private readonly ConcurrentDictionary<string, byte> _loaded = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the store.</summary>
    public KnownNetworkStore(IAccountSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _secrets = secrets;
    }

    /// <summary>Loads the account's stored networks into <paramref name="guard"/>, once per process.</summary>
    public async ValueTask LoadIntoAsync(AuthGuard guard, string accountName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(guard);
        if (_loaded.ContainsKey(accountName))
        {
            return;
        }

        foreach (var (network, seen) in await ReadAsync(accountName, cancellationToken).ConfigureAwait(false))
        {
            guard.RememberKnownNetwork(accountName, network, seen);
        }

        _loaded[accountName] = 0;
    }

    /// <summary>Records that <paramref name="accountName"/> logged in from <paramref name="client"/> at <paramref name="now"/>.</summary>
    public async ValueTask AddAsync(string accountName, IPAddress client, DateTimeOffset now, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var key = ClientNetworks.KnownNetworkKey(client);
        var current = await ReadAsync(accountName, cancellationToken).ConfigureAwait(false);
        current[key] = now;
        var kept = current.Where(c => now - c.Value <= lifetime).OrderByDescending(c => c.Value).Take(MaxNetworks)
            .ToDictionary(c => c.Key.ToString(), c => c.Value);
        await _secrets.SetAsync(accountName, SecretKinds.KnownNetworks, JsonSerializer.Serialize(kept, KnownNetworkJsonContext.Default.DictionaryStringDateTimeOffset), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<Dictionary<IPNetwork, DateTimeOffset>> ReadAsync(string accountName, CancellationToken cancellationToken)
    {
        var text = await _secrets.GetAsync(accountName, SecretKinds.KnownNetworks, cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<IPNetwork, DateTimeOffset>();
        if (string.IsNullOrEmpty(text) || text.Length > 64 * 1024)
        {
            return result;
        }

        try
        {
            foreach (var (network, seen) in JsonSerializer.Deserialize(text, KnownNetworkJsonContext.Default.DictionaryStringDateTimeOffset) ?? [])
            {
                if (ClientNetworks.TryParse(network, out var parsed))
                {
                    result[parsed] = seen;
                }
            }
        }
        catch (JsonException)
        {
            // A damaged record only costs the owner the throttle exemption until the next login.
        }

        return result;
    }
}

/// <summary>Source-generated JSON for the known-network record.</summary>
[JsonSerializable(typeof(Dictionary<string, DateTimeOffset>))]
internal sealed partial class KnownNetworkJsonContext : JsonSerializerContext;
