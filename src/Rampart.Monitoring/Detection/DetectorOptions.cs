namespace Rampart.Monitoring.Detection;

/// <summary>Anomaly detector thresholds (configuration section <c>Monitoring:Detectors</c>). A threshold of 0 turns
/// that detector off.</summary>
public sealed class DetectorOptions
{
    /// <summary>Whether the detectors run. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Simultaneous connections from one address that raise an alert. Default 40: twice the pre-login limit
    /// per address, above what one household behind NAT keeps open.</summary>
    public int MaxConnectionsPerIp { get; set; } = 40;

    /// <summary>Simultaneous logged-in sessions of one account that raise an alert. Default 12: below the hard limit
    /// of 16, so an admin hears of it before the owner is refused.</summary>
    public int MaxSessionsPerAccount { get; set; } = 12;

    /// <summary>Failed logins for one account within <see cref="FailedLoginWindow"/> that raise an alert. Default 10.</summary>
    public int FailedLoginsPerAccount { get; set; } = 10;

    /// <summary>Failed logins from one address (IPv6: its /64) within <see cref="FailedLoginWindow"/>. Default 20,
    /// the auto-ban threshold.</summary>
    public int FailedLoginsPerIp { get; set; } = 20;

    /// <summary>Window for failed-login bursts. Default 10 minutes.</summary>
    public TimeSpan FailedLoginWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Octets one account may move within <see cref="BandwidthWindow"/> before an alert. Default 2 GiB: more
    /// than a full mailbox sync of a typical account, less than an exfiltration of a large one.</summary>
    public long BandwidthBytesPerAccount { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Window for bandwidth. Default 10 minutes.</summary>
    public TimeSpan BandwidthWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Distinct networks one account logs in from within <see cref="NetworkWindow"/> that raise an alert.
    /// Default 4: phone on mobile data plus home plus office is three.</summary>
    public int NetworksPerAccount { get; set; } = 4;

    /// <summary>Window for the many-networks detector. Default 10 minutes.</summary>
    public TimeSpan NetworkWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A login from a network not seen for the account within this period asks the owner "was this you?".
    /// Default 90 days.</summary>
    public TimeSpan NewNetworkLookback { get; set; } = TimeSpan.FromDays(90);

    /// <summary>IPv4 prefix that counts as one network. Default 24.</summary>
    public int IPv4NetworkPrefix { get; set; } = 24;

    /// <summary>IPv6 prefix that counts as one network. Default 48 (a site).</summary>
    public int IPv6NetworkPrefix { get; set; } = 48;
}
