using System.Globalization;
using System.Net;
using Rampart.Monitoring.Alerts;
using Rampart.Monitoring.Events;

namespace Rampart.Monitoring.Detection;

/// <summary>Alerts when one address holds more than <see cref="DetectorOptions.MaxConnectionsPerIp"/> connections at
/// once, or one account more than <see cref="DetectorOptions.MaxSessionsPerAccount"/> logged-in sessions.</summary>
public sealed class ConnectionSpikeDetector : ISecurityEvents
{
    private readonly DetectorOptions options;
    private readonly AlertDispatcher alerts;
    private readonly Dictionary<string, (IPAddress? Ip, string? User)> open = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, int> perIp = [];
    private readonly Dictionary<string, int> perAccount = new(StringComparer.OrdinalIgnoreCase);

    public ConnectionSpikeDetector(DetectorOptions options, AlertDispatcher alerts)
    {
        this.options = options;
        this.alerts = alerts;
    }

    public void Raise(SecurityEvent securityEvent)
    {
        ArgumentNullException.ThrowIfNull(securityEvent);
        if (securityEvent.SessionId is not { } id)
        {
            return;
        }

        Alert? alert = null;
        lock (open)
        {
            switch (securityEvent)
            {
                case ConnectionAccepted e when e.ClientIp is { } ip:
                    open[id] = (ip, null);
                    var ipCount = perIp[ip] = perIp.GetValueOrDefault(ip) + 1;
                    if (options.MaxConnectionsPerIp > 0 && ipCount > options.MaxConnectionsPerIp)
                    {
                        alert = new Alert(AlertKind.ConnectionSpike, e.Time, "ip:" + ip, string.Create(CultureInfo.InvariantCulture, $"{ipCount} simultaneous connections from {ip}"))
                        {
                            ClientIp = ip,
                            Protocol = e.Protocol,
                            SessionId = id,
                        };
                    }

                    break;
                case AuthenticationSucceeded e when e.User is { } user && open.TryGetValue(id, out var session) && session.User is null:
                    open[id] = (session.Ip, user);
                    var accountCount = perAccount[user] = perAccount.GetValueOrDefault(user) + 1;
                    if (options.MaxSessionsPerAccount > 0 && accountCount > options.MaxSessionsPerAccount)
                    {
                        alert = new Alert(AlertKind.ConnectionSpike, e.Time, "account:" + user.ToUpperInvariant(), string.Create(CultureInfo.InvariantCulture, $"{accountCount} simultaneous sessions for {user}"))
                        {
                            Account = user,
                            ClientIp = e.ClientIp,
                            Protocol = e.Protocol,
                            SessionId = id,
                        };
                    }

                    break;
                case ConnectionClosed when open.Remove(id, out var closed):
                    Decrement(perIp, closed.Ip);
                    Decrement(perAccount, closed.User);
                    break;
                default:
                    break;
            }
        }

        if (alert is not null)
        {
            alerts.Publish(alert);
        }
    }

    private static void Decrement<TKey>(Dictionary<TKey, int> counts, TKey? key)
        where TKey : notnull
    {
        if (key is not null && counts.TryGetValue(key, out var count))
        {
            if (count <= 1)
            {
                counts.Remove(key);
            }
            else
            {
                counts[key] = count - 1;
            }
        }
    }
}
