namespace Rampart.Monitoring.Alerts;

/// <summary>Alert delivery settings (configuration section <c>Monitoring:Alerts</c>).</summary>
public sealed class AlertOptions
{
    /// <summary>An http(s) URL that receives each alert as a JSON POST; none by default.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>When set, each webhook request carries <c>X-Rampart-Signature: sha256=HEX</c>, the HMAC-SHA256 of the
    /// body under this key, so the receiver can tell Rampart's posts from forged ones.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Webhook request timeout. Default 10 s: a slow receiver must not hold alerts back for long.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>An account that receives every alert by local mail. Unset by default, and then
    /// <see cref="DefaultAdminAccount"/> receives them.</summary>
    public string? AdminAccount { get; set; }

    /// <summary>The account admin alerts go to when <see cref="AdminAccount"/> is unset: the administrator account
    /// <c>rampart serve</c> creates on first start (set by the server, not a configuration key), so that an attack in
    /// progress reaches a person by default. Skipped while that account does not exist or is disabled.</summary>
    public string? DefaultAdminAccount { get; set; }

    /// <summary>Whether account owners get a "was this you?" message for logins from a new network. Default true.</summary>
    public bool NotifyUsers { get; set; } = true;

    /// <summary>The same alert (kind and subject) is sent at most once per this window. Default 1 hour: one mail per
    /// incident, not one per failed login.</summary>
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Alerts sent per minute at most; the rest are counted and logged. Default 30: an attack on many
    /// accounts must not turn into a mail flood.</summary>
    public int MaxAlertsPerMinute { get; set; } = 30;

    /// <summary>The "from" host name of alert mail. Set by the server from its host name.</summary>
    public string HostName { get; set; } = "localhost";

    /// <summary>One line in the user notice telling how to end sessions and revoke app passwords.</summary>
    public string RevokeInstructions { get; set; } =
        "If this was not you, change your password now and ask your administrator to run " +
        "`rampart sessions kill --user YOUR-NAME` and to revoke the app password used.";
}
