namespace Rampart.Security.Guard;

/// <summary>
/// The brute-force defence settings (SECURITY.md "brute force"). Every default is the documented one; an admin may
/// change each, and the security self-check reports a weakened one.
/// </summary>
/// <remarks>
/// The delay curve: after <c>n</c> counted failures from one client (an IPv4 address or an IPv6 /64) within
/// <see cref="FailureWindow"/>, the next attempt waits <c>min(MaxDelay, FirstDelay × DelayGrowth^(n-1))</c>. With the
/// defaults that is 0, 2, 3, 4.5, 6.8, 10.1, 15, 15 … seconds: a person who mistypes once barely notices, a guesser
/// is held to about 4 tries a minute long before the ban at <see cref="BanThreshold"/>.
/// </remarks>
public sealed class AuthGuardOptions
{
    /// <summary>Failures one session may have; after this many the protocol answers and closes. Default 3 (B01).</summary>
    public int MaxFailuresPerSession { get; set; } = 3;

    /// <summary>The delay after the first counted failure. Default 2 s.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest delay. Default 15 s: longer makes clients time out and retry, which is more traffic, not less.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How much each further failure multiplies the delay. Default 1.5.</summary>
    public double DelayGrowth { get; set; } = 1.5;

    /// <summary>How long a failure counts toward delays and the ban. Default 1 hour.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Counted failures within <see cref="FailureWindow"/> that ban the client. Default 20.</summary>
    public int BanThreshold { get; set; } = 20;

    /// <summary>How long an automatic ban lasts. Default 1 hour: long enough to stop a guesser, short enough that a
    /// misconfigured phone behind a shared address recovers by itself.</summary>
    public TimeSpan BanDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Networks (CIDR or addresses) that are never delayed by address nor banned: the office, the webmail host.</summary>
    public IList<string> TrustedNetworks { get; } = [];

    /// <summary>Failures on one account, from any client, within <see cref="AccountWindow"/> after which that account's
    /// main-password logins from unknown networks are refused. Default 10.</summary>
    public int AccountThrottleThreshold { get; set; } = 10;

    /// <summary>How long a failure counts toward the per-account throttle. Default 15 minutes.</summary>
    public TimeSpan AccountWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a network where an account logged in successfully stays "known" to it. Default 30 days.</summary>
    public TimeSpan KnownNetworkLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Distinct wrong secrets remembered per client so that repeating one does not escalate (B02). Default 32.</summary>
    public int RememberedFingerprints { get; set; } = 32;

    /// <summary>Clients and accounts tracked at once; past it the stalest are forgotten, so a flood from many addresses
    /// cannot exhaust memory. Default 100 000.</summary>
    public int MaxTrackedKeys { get; set; } = 100_000;

    /// <summary>How often the guard re-reads the shared ban list (the CLI edits it while the server runs). Default 5 s.</summary>
    public TimeSpan BanReloadInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The delay after <paramref name="failures"/> counted failures (see the class remarks).</summary>
    public TimeSpan DelayAfter(int failures)
    {
        if (failures <= 0)
        {
            return TimeSpan.Zero;
        }

        var seconds = FirstDelay.TotalSeconds * Math.Pow(DelayGrowth, Math.Min(failures - 1, 64));
        return seconds >= MaxDelay.TotalSeconds ? MaxDelay : TimeSpan.FromSeconds(seconds);
    }
}
