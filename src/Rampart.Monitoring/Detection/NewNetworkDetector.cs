using Rampart.Monitoring.Alerts;
using Rampart.Monitoring.Events;
using Rampart.Monitoring.Sessions;

namespace Rampart.Monitoring.Detection;

/// <summary>On a login from a network the account has not used within <see cref="DetectorOptions.NewNetworkLookback"/>
/// raises a <see cref="AlertKind.NewNetwork"/> alert that asks the owner "was this you?" (by mail, when enabled).</summary>
public sealed class NewNetworkDetector : ISecurityEvents
{
    private readonly DetectorOptions options;
    private readonly AlertDispatcher alerts;
    private readonly SessionRegistry? sessions;

    public NewNetworkDetector(DetectorOptions options, AlertDispatcher alerts, NetworkHistory history, SessionRegistry? sessions = null)
    {
        this.options = options;
        this.alerts = alerts;
        History = history;
        this.sessions = sessions;
    }

    /// <summary>The persisted history (the server saves it periodically and at shutdown).</summary>
    public NetworkHistory History { get; }

    public void Raise(SecurityEvent securityEvent)
    {
        if (securityEvent is not AuthenticationSucceeded { User: { Length: > 0 } user, ClientIp: { } ip } e || options.NewNetworkLookback <= TimeSpan.Zero)
        {
            return;
        }

        var network = NetworkPrefix.Of(ip, options.IPv4NetworkPrefix, options.IPv6NetworkPrefix);
        if (!History.Record(user, network, e.Time, options.NewNetworkLookback, out _))
        {
            return;
        }

        var clientId = e.SessionId is { } id ? sessions?.Find(id)?.ClientId : null;
        alerts.Publish(new Alert(AlertKind.NewNetwork, e.Time, "account:" + user.ToUpperInvariant() + " network:" + network, $"{user} logged in from a new network {network}")
        {
            Account = user,
            ClientIp = ip,
            Network = network,
            Protocol = e.Protocol,
            SessionId = e.SessionId,
            ClientId = clientId,
            NotifyUser = true,
        });
    }
}
