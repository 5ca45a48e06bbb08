using System.Globalization;
using Rampart.Monitoring.Alerts;
using Rampart.Monitoring.Events;

namespace Rampart.Monitoring.Detection;

/// <summary>Alerts when one account logs in from <see cref="DetectorOptions.NetworksPerAccount"/> or more distinct
/// networks within <see cref="DetectorOptions.NetworkWindow"/>: shared or stolen credentials, or "impossible
/// travel".</summary>
public sealed class ManyNetworksDetector : ISecurityEvents
{
    private readonly DetectorOptions options;
    private readonly AlertDispatcher alerts;
    private readonly Dictionary<string, Dictionary<string, DateTimeOffset>> recent = new(StringComparer.OrdinalIgnoreCase);

    public ManyNetworksDetector(DetectorOptions options, AlertDispatcher alerts)
    {
        this.options = options;
        this.alerts = alerts;
    }

    public void Raise(SecurityEvent securityEvent)
    {
        if (securityEvent is not AuthenticationSucceeded { User: { Length: > 0 } user, ClientIp: { } ip } e || options.NetworksPerAccount <= 0)
        {
            return;
        }

        var network = NetworkPrefix.Of(ip, options.IPv4NetworkPrefix, options.IPv6NetworkPrefix);
        int count;
        string list;
        lock (recent)
        {
            if (!recent.TryGetValue(user, out var networks))
            {
                if (recent.Count >= SlidingWindow<string>.MaxKeys)
                {
                    foreach (var idle in recent.Where(p => p.Value.Values.All(t => e.Time - t >= options.NetworkWindow)).Select(p => p.Key).ToList())
                    {
                        recent.Remove(idle);
                    }
                }

                networks = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
                recent[user] = networks;
            }

            networks[network] = e.Time;
            if (networks.Count > 1)
            {
                foreach (var (key, seen) in networks)
                {
                    if (e.Time - seen >= options.NetworkWindow)
                    {
                        networks.Remove(key);
                    }
                }
            }

            count = networks.Count;

            // Only an alert needs the list; the common case (one or two networks) allocates nothing more.
            list = count >= options.NetworksPerAccount ? string.Join(", ", networks.Keys.Order(StringComparer.Ordinal)) : string.Empty;
        }

        if (count >= options.NetworksPerAccount)
        {
            var minutes = options.NetworkWindow.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture);
            alerts.Publish(new Alert(AlertKind.ManyNetworks, e.Time, "account:" + user.ToUpperInvariant(), string.Create(CultureInfo.InvariantCulture, $"{user} logged in from {count} networks in {minutes} minutes: {list}"))
            {
                Account = user,
                ClientIp = ip,
                Network = network,
                Protocol = e.Protocol,
                SessionId = e.SessionId,
            });
        }
    }
}
