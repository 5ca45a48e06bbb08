using System.Globalization;
using System.Net.Sockets;
using Rampart.Monitoring.Alerts;
using Rampart.Monitoring.Events;

namespace Rampart.Monitoring.Detection;

/// <summary>Alerts on bursts of failed logins for one account (<see cref="DetectorOptions.FailedLoginsPerAccount"/>)
/// or from one address, an IPv6 client counted per /64 as AuthGuard does (<see cref="DetectorOptions.FailedLoginsPerIp"/>),
/// within <see cref="DetectorOptions.FailedLoginWindow"/>.</summary>
public sealed class FailedLoginDetector : ISecurityEvents
{
    private readonly DetectorOptions options;
    private readonly AlertDispatcher alerts;
    private readonly SlidingWindow<string> perAccount;
    private readonly SlidingWindow<string> perIp;

    public FailedLoginDetector(DetectorOptions options, AlertDispatcher alerts)
    {
        this.options = options;
        this.alerts = alerts;
        perAccount = new SlidingWindow<string>(options.FailedLoginWindow, StringComparer.OrdinalIgnoreCase);
        perIp = new SlidingWindow<string>(options.FailedLoginWindow, StringComparer.Ordinal);
    }

    public void Raise(SecurityEvent securityEvent)
    {
        if (securityEvent is not AuthenticationFailed e)
        {
            return;
        }

        var minutes = options.FailedLoginWindow.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture);
        long accountCount = 0;
        long ipCount = 0;
        string? source = null;
        lock (perAccount)
        {
            if (e.User is { Length: > 0 } user)
            {
                accountCount = perAccount.Add(user, e.Time, 1);
            }

            if (e.ClientIp is { } ip)
            {
                source = ip.AddressFamily == AddressFamily.InterNetworkV6 && !ip.IsIPv4MappedToIPv6 ? NetworkPrefix.Of(ip, 32, 64) : ip.ToString();
                ipCount = perIp.Add(source, e.Time, 1);
            }
        }

        if (options.FailedLoginsPerAccount > 0 && accountCount >= options.FailedLoginsPerAccount)
        {
            alerts.Publish(new Alert(AlertKind.FailedLoginBurst, e.Time, "account:" + e.User!.ToUpperInvariant(), $"{accountCount} failed logins for {e.User} in {minutes} minutes")
            {
                Account = e.User,
                ClientIp = e.ClientIp,
                Protocol = e.Protocol,
            });
        }

        if (options.FailedLoginsPerIp > 0 && ipCount >= options.FailedLoginsPerIp)
        {
            alerts.Publish(new Alert(AlertKind.FailedLoginBurst, e.Time, "ip:" + source, $"{ipCount} failed logins from {source} in {minutes} minutes")
            {
                ClientIp = e.ClientIp,
                Protocol = e.Protocol,
            });
        }
    }
}
