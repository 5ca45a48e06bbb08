namespace Rampart.Monitoring.Alerts;

/// <summary>What a detector saw.</summary>
public enum AlertKind
{
    /// <summary>Too many simultaneous connections from one address or for one account.</summary>
    ConnectionSpike,

    /// <summary>An account moved more data in the window than the threshold (bulk download, possible exfiltration).</summary>
    BandwidthSpike,

    /// <summary>A burst of failed logins for one account or from one address.</summary>
    FailedLoginBurst,

    /// <summary>One account active from many networks within minutes.</summary>
    ManyNetworks,

    /// <summary>A login from a network this account has not used within the look-back period.</summary>
    NewNetwork,
}
