using System.Globalization;
using Rampart.Monitoring.Alerts;
using Rampart.Monitoring.Events;

namespace Rampart.Monitoring.Detection;

/// <summary>Alerts when one account moves more than <see cref="DetectorOptions.BandwidthBytesPerAccount"/> octets
/// within <see cref="DetectorOptions.BandwidthWindow"/> (SECURITY.md C04: a bulk download, possibly an exfiltration).
/// Counts <see cref="DataTransferred"/> events that carry the account in <see cref="SecurityEvent.User"/>.</summary>
public sealed class BandwidthDetector : ISecurityEvents
{
    private readonly DetectorOptions options;
    private readonly AlertDispatcher alerts;
    private readonly SlidingWindow<string> perAccount;

    public BandwidthDetector(DetectorOptions options, AlertDispatcher alerts)
    {
        this.options = options;
        this.alerts = alerts;
        perAccount = new SlidingWindow<string>(options.BandwidthWindow, StringComparer.OrdinalIgnoreCase);
    }

    public void Raise(SecurityEvent securityEvent)
    {
        if (securityEvent is not DataTransferred { User: { Length: > 0 } user } e || options.BandwidthBytesPerAccount <= 0)
        {
            return;
        }

        long total;
        lock (perAccount)
        {
            total = perAccount.Add(user, e.Time, e.BytesIn + e.BytesOut);
        }

        if (total > options.BandwidthBytesPerAccount)
        {
            var megabytes = (total / (1024.0 * 1024)).ToString("0", CultureInfo.InvariantCulture);
            var minutes = options.BandwidthWindow.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture);
            alerts.Publish(new Alert(AlertKind.BandwidthSpike, e.Time, "account:" + user.ToUpperInvariant(), $"{user} moved {megabytes} MiB in {minutes} minutes")
            {
                Account = user,
                ClientIp = e.ClientIp,
                Protocol = e.Protocol,
                SessionId = e.SessionId,
            });
        }
    }
}
