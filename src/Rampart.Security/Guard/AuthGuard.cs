using System.Globalization;
using System.Net;
using Rampart.Security.Credentials;

namespace Rampart.Security.Guard;

/// <summary>
/// The brute-force defence every protocol and mechanism shares (SECURITY.md B01–B06): per-client delays that grow
/// from 2 s to 15 s, an automatic ban after 20 failures in an hour, a per-account throttle that spares the owner's
/// known networks and app passwords, and the ban list checked before the greeting. One instance per server;
/// thread-safe; time comes from a <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>The protocol's part, for every login attempt whatever the mechanism:</para>
/// <list type="number">
/// <item>before the greeting: <see cref="IsBanned"/> → close without a word;</item>
/// <item>before checking: <see cref="BeginAttempt"/> → banned: close; delayed: wait <see cref="AuthDecision.Delay"/>;</item>
/// <item>after: <see cref="RecordFailure"/> or <see cref="RecordSuccess"/>, and a <see cref="SessionFailureCounter"/>.</item>
/// </list>
/// <para>Counters are keyed by the client's IPv4 address or IPv6 /64 and by the lower-cased user name, never by
/// protocol or mechanism, so IMAP, POP3, SMTP, PLAIN and SCRAM failures add up (B06). A failure whose
/// <see cref="SecretFingerprint"/> this client already submitted for that user is not counted again (B02).</para>
/// </remarks>
public sealed class AuthGuard
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IPNetwork, ClientState> _clients = [];
    private readonly Dictionary<string, AccountState> _accounts = new(StringComparer.Ordinal);
    private readonly IPNetwork[] _trusted;
    private readonly IBanStore _banStore;
    private (IPNetwork Network, BanEntry Entry)[] _bans = [];
    private long _banStamp = long.MinValue;
    private DateTimeOffset _bansReadAt = DateTimeOffset.MinValue;
    private readonly HashSet<(string Network, DateTimeOffset Created)> _expiryReported = [];

    // Clients whose automatic ban is being written (outside the lock: it is file I/O). The decision to ban, the counter
    // reset and the entry here are one critical section, so concurrent failures at the threshold ban once (one event).
    private readonly HashSet<IPNetwork> _banning = [];

    /// <summary>Creates the guard.</summary>
    /// <param name="options">Thresholds; the defaults when null.</param>
    /// <param name="time">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="bans">Where bans are kept; in memory when null.</param>
    /// <exception cref="FormatException">A trusted network is not a CIDR network or address.</exception>
    public AuthGuard(AuthGuardOptions? options = null, TimeProvider? time = null, IBanStore? bans = null)
    {
        Options = options ?? new AuthGuardOptions();
        Time = time ?? TimeProvider.System;
        _banStore = bans ?? new MemoryBanStore();
        _trusted = [.. Options.TrustedNetworks.Select(t => ClientNetworks.TryParse(t, out var n)
            ? n
            : throw new FormatException($"Guard:TrustedNetworks: \"{t}\" is neither an IP address nor a CIDR network."))];
    }

    /// <summary>The settings in force.</summary>
    public AuthGuardOptions Options { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Raised (outside the guard's lock) when a client is banned automatically: for the audit log.</summary>
    public event Action<BanEntry>? AutoBanned;

    /// <summary>Raised (outside the guard's lock) once per ban when the guard notices it has expired: the <c>unban</c>
    /// audit event for bans nobody lifted by hand (issue 7).</summary>
    public event Action<BanEntry>? BanExpired;

    /// <summary>True when <paramref name="client"/> is in a trusted network: never delayed, never banned.</summary>
    public bool IsTrusted(IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Array.Exists(_trusted, n => ClientNetworks.Contains(n, client));
    }

    /// <summary>True when an active ban covers <paramref name="client"/>: the connection layer closes it before the
    /// greeting (B05). Re-reads the shared list at most every <see cref="AuthGuardOptions.BanReloadInterval"/>.</summary>
    public bool IsBanned(IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (IsTrusted(client))
        {
            return false;
        }

        var now = Time.GetUtcNow();
        var bans = CurrentBans(now);
        NoticeExpired(bans, now);
        foreach (var (network, entry) in bans)
        {
            if (entry.IsActive(now) && ClientNetworks.Contains(network, client))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Decides whether a login attempt may run now, later, or not at all. Call it before checking anything,
    /// for every mechanism. <paramref name="userName"/> may be null when the mechanism has not named the user yet.</summary>
    public AuthDecision BeginAttempt(IPAddress client, string? userName, string protocol, string mechanism)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (IsBanned(client))
        {
            return AuthDecision.Banned;
        }

        if (IsTrusted(client))
        {
            return AuthDecision.Allowed;
        }

        var now = Time.GetUtcNow();
        int failures;
        lock (_lock)
        {
            failures = _clients.TryGetValue(ClientNetworks.CounterKey(client), out var state) ? state.Count(now, Options.FailureWindow) : 0;
        }

        var delay = Options.DelayAfter(failures);
        return delay > TimeSpan.Zero ? new AuthDecision(AuthVerdict.Delayed, delay) : AuthDecision.Allowed;
    }

    /// <summary>Counts a failed login from <paramref name="client"/> for <paramref name="userName"/> (null when the
    /// mechanism failed before naming one). Bans the client when it reaches <see cref="AuthGuardOptions.BanThreshold"/>.</summary>
    /// <returns>The ban made, or null.</returns>
    public BanEntry? RecordFailure(IPAddress client, string? userName, string protocol, string mechanism, SecretFingerprint fingerprint = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = Time.GetUtcNow();
        var key = ClientNetworks.CounterKey(client);
        var trusted = IsTrusted(client);
        var accountKey = AccountKey(userName);
        var ban = false;
        int count;
        lock (_lock)
        {
            Prune(now);
            if (!_clients.TryGetValue(key, out var state))
            {
                _clients[key] = state = new ClientState();
            }

            var repeated = !fingerprint.IsNone && state.SeenBefore(accountKey, fingerprint, now, Options);
            if (!repeated)
            {
                state.Failures.Enqueue(now);
            }

            count = state.Count(now, Options.FailureWindow);
            state.LastSeen = now;
            ban = !trusted && !repeated && count >= Options.BanThreshold && _banning.Add(key);
            if (ban)
            {
                _clients.Remove(key);
            }

            if (accountKey is not null)
            {
                var account = Account(accountKey, now);
                if (!account.SeenBefore(key, fingerprint, now, Options))
                {
                    account.Failures.Enqueue(now);
                }
            }
        }

        if (!ban)
        {
            return null;
        }

        BanEntry entry;
        try
        {
            entry = Ban(key, Options.BanDuration, string.Create(CultureInfo.InvariantCulture, $"auto: {count} failures in {Options.FailureWindow}"));
        }
        finally
        {
            lock (_lock)
            {
                _banning.Remove(key);
            }
        }

        AutoBanned?.Invoke(entry);
        return entry;
    }

    /// <summary>Records a successful login: the client's counter is cleared and its network becomes known to the
    /// account (B04).</summary>
    public void RecordSuccess(IPAddress client, string accountName, string protocol, string mechanism, CredentialKind kind)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(accountName);
        var now = Time.GetUtcNow();
        lock (_lock)
        {
            _clients.Remove(ClientNetworks.CounterKey(client));
            Account(AccountKey(accountName)!, now).Known[ClientNetworks.KnownNetworkKey(client)] = now;
        }
    }

    /// <summary>
    /// True when a login for <paramref name="userName"/> from <paramref name="client"/> with <paramref name="kind"/> must
    /// be refused because the account is under attack: it had <see cref="AuthGuardOptions.AccountThrottleThreshold"/>
    /// failures within <see cref="AuthGuardOptions.AccountWindow"/>, the client is not in one of the account's known
    /// networks, and the secret is the main password. App passwords, known networks and trusted networks pass, so an
    /// attacker cannot lock the owner out (B04). Works the same for names that do not exist (E01).
    /// </summary>
    public bool IsAccountThrottled(string userName, IPAddress client, CredentialKind kind)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(client);
        if (kind == CredentialKind.AppPassword || IsTrusted(client))
        {
            return false;
        }

        var now = Time.GetUtcNow();
        lock (_lock)
        {
            if (!_accounts.TryGetValue(AccountKey(userName)!, out var account)
                || account.Count(now, Options.AccountWindow) < Options.AccountThrottleThreshold)
            {
                return false;
            }

            return !account.IsKnown(ClientNetworks.KnownNetworkKey(client), now, Options.KnownNetworkLifetime);
        }
    }

    /// <summary>Marks <paramref name="network"/> as known to <paramref name="accountName"/> since <paramref name="lastSeen"/>
    /// (loading stored knowledge after a restart); a later sighting already recorded wins.</summary>
    public void RememberKnownNetwork(string accountName, IPNetwork network, DateTimeOffset lastSeen)
    {
        ArgumentNullException.ThrowIfNull(accountName);
        lock (_lock)
        {
            var known = Account(AccountKey(accountName)!, Time.GetUtcNow()).Known;
            if (!known.TryGetValue(network, out var at) || at < lastSeen)
            {
                known[network] = lastSeen;
            }
        }
    }

    /// <summary>True when <paramref name="accountName"/> logged in successfully from <paramref name="client"/>'s network
    /// within <see cref="AuthGuardOptions.KnownNetworkLifetime"/>.</summary>
    public bool IsKnownNetwork(string accountName, IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(accountName);
        ArgumentNullException.ThrowIfNull(client);
        var now = Time.GetUtcNow();
        lock (_lock)
        {
            return _accounts.TryGetValue(AccountKey(accountName)!, out var account)
                && account.IsKnown(ClientNetworks.KnownNetworkKey(client), now, Options.KnownNetworkLifetime);
        }
    }

    /// <summary>Counted failures from <paramref name="client"/>'s address or /64 within the window.</summary>
    public int FailuresFrom(IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = Time.GetUtcNow();
        lock (_lock)
        {
            return _clients.TryGetValue(ClientNetworks.CounterKey(client), out var state) ? state.Count(now, Options.FailureWindow) : 0;
        }
    }

    /// <summary>Bans <paramref name="network"/> for <paramref name="duration"/> (null: until unbanned). Replaces an
    /// existing ban of the same network.</summary>
    public BanEntry Ban(IPNetwork network, TimeSpan? duration, string reason)
    {
        var now = Time.GetUtcNow();

        // Expired bans are dropped from the file below; report them first so each still gets its one event.
        NoticeExpired(CurrentBans(now), now);
        var entry = new BanEntry
        {
            Network = network.ToString(),
            Created = now,
            Until = duration is { } d ? now + d : null,
            Reason = reason ?? string.Empty,
        };
        var list = _banStore.Update(bans =>
        {
            bans.RemoveAll(b => b.Network == entry.Network || !b.IsActive(now));
            bans.Add(entry);
        });
        SetBans(list, now);
        return entry;
    }

    /// <summary>Lifts the ban on exactly <paramref name="network"/>; false when there was none.</summary>
    public bool Unban(IPNetwork network)
    {
        var now = Time.GetUtcNow();
        var text = network.ToString();
        var removed = false;
        var list = _banStore.Update(bans => removed = bans.RemoveAll(b => b.Network == text) > 0);
        SetBans(list, now);
        return removed;
    }

    /// <summary>True the first time <paramref name="client"/>'s network is delayed by <paramref name="delay"/>: each
    /// step of the delay ladder is reported once, not each try, so a brute-force run gives a few <c>throttle</c> audit
    /// lines rather than one per guess. A success or a ban forgets the client and starts over.</summary>
    public bool ClaimThrottleReport(IPAddress client, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (delay <= TimeSpan.Zero)
        {
            return false;
        }

        lock (_lock)
        {
            if (!_clients.TryGetValue(ClientNetworks.CounterKey(client), out var state) || state.ReportedDelay == delay)
            {
                return false;
            }

            state.ReportedDelay = delay;
            return true;
        }
    }

    /// <summary>True the first time the per-account throttle refuses a login for <paramref name="userName"/> in one
    /// engagement (it ends when the account's failures fall below the threshold), with when it is expected to lift;
    /// false when this engagement was already reported or the throttle is not on.</summary>
    public bool ClaimLockoutReport(string userName, out DateTimeOffset? until)
    {
        ArgumentNullException.ThrowIfNull(userName);
        until = null;
        var now = Time.GetUtcNow();
        lock (_lock)
        {
            if (!_accounts.TryGetValue(AccountKey(userName)!, out var account))
            {
                return false;
            }

            var count = account.Count(now, Options.AccountWindow);
            if (count < Options.AccountThrottleThreshold)
            {
                account.LockoutReported = false;
                return false;
            }

            if (account.LockoutReported)
            {
                return false;
            }

            account.LockoutReported = true;

            // It lifts when enough of the oldest failures leave the window to fall below the threshold (unless more come).
            until = account.Failures.ElementAt(count - Options.AccountThrottleThreshold) + Options.AccountWindow;
            return true;
        }
    }

    /// <summary>The bans in force now.</summary>
    public IReadOnlyList<BanEntry> ListBans()
    {
        var now = Time.GetUtcNow();
        return [.. CurrentBans(now).Select(b => b.Entry).Where(b => b.IsActive(now))];
    }

    private (IPNetwork Network, BanEntry Entry)[] CurrentBans(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (now - _bansReadAt < Options.BanReloadInterval && _bansReadAt != DateTimeOffset.MinValue)
            {
                return _bans;
            }
        }

        var stamp = _banStore.ChangeStamp;
        lock (_lock)
        {
            if (stamp == _banStamp)
            {
                _bansReadAt = now;
                return _bans;
            }
        }

        IReadOnlyList<BanEntry> loaded;
        try
        {
            loaded = _banStore.Load();
        }
        catch (InvalidDataException)
        {
            // A damaged file must not take logins down; the bans already loaded stay in force.
            lock (_lock)
            {
                _bansReadAt = now;
                return _bans;
            }
        }

        lock (_lock)
        {
            _banStamp = stamp;
            return SetBansLocked(loaded, now);
        }
    }

    private void NoticeExpired((IPNetwork Network, BanEntry Entry)[] bans, DateTimeOffset now)
    {
        List<BanEntry>? expired = null;
        lock (_lock)
        {
            foreach (var (_, entry) in bans)
            {
                if (!entry.IsActive(now) && _expiryReported.Add((entry.Network, entry.Created)))
                {
                    (expired ??= []).Add(entry);
                }
            }

            // Forget reports of bans no longer in the list, so the set stays as small as the list.
            if (_expiryReported.Count > bans.Length)
            {
                _expiryReported.IntersectWith(bans.Select(b => (b.Entry.Network, b.Entry.Created)));
            }
        }

        foreach (var entry in expired ?? [])
        {
            BanExpired?.Invoke(entry);
        }
    }

    private void SetBans(IReadOnlyList<BanEntry> list, DateTimeOffset now)
    {
        var stamp = _banStore.ChangeStamp;
        lock (_lock)
        {
            _banStamp = stamp;
            SetBansLocked(list, now);
        }
    }

    private (IPNetwork, BanEntry)[] SetBansLocked(IReadOnlyList<BanEntry> list, DateTimeOffset now)
    {
        _bans = [.. list.Select(b => (Ok: ClientNetworks.TryParse(b.Network, out var n), Network: n, Entry: b))
            .Where(b => b.Ok)
            .Select(b => (b.Network, b.Entry))];
        _bansReadAt = now;
        return _bans;
    }

    private static string? AccountKey(string? userName) =>
        string.IsNullOrEmpty(userName) ? null : userName.ToLowerInvariant();

    private AccountState Account(string key, DateTimeOffset now)
    {
        if (!_accounts.TryGetValue(key, out var account))
        {
            _accounts[key] = account = new AccountState();
        }

        account.LastSeen = now;
        return account;
    }

    private void Prune(DateTimeOffset now)
    {
        if (_clients.Count > Options.MaxTrackedKeys)
        {
            foreach (var stale in _clients.Where(c => now - c.Value.LastSeen > Options.FailureWindow).Select(c => c.Key).ToList())
            {
                _clients.Remove(stale);
            }

            // Still too many: a flood from fresh addresses. Forget the oldest half rather than grow without bound.
            if (_clients.Count > Options.MaxTrackedKeys)
            {
                foreach (var old in _clients.OrderBy(c => c.Value.LastSeen).Take(_clients.Count / 2).Select(c => c.Key).ToList())
                {
                    _clients.Remove(old);
                }
            }
        }

        if (_accounts.Count > Options.MaxTrackedKeys)
        {
            foreach (var old in _accounts.OrderBy(c => c.Value.LastSeen).Take(_accounts.Count / 2).Select(c => c.Key).ToList())
            {
                _accounts.Remove(old);
            }
        }
    }

    private sealed class ClientState
    {
        private readonly Dictionary<(string?, SecretFingerprint), DateTimeOffset> _seen = [];

        public Queue<DateTimeOffset> Failures { get; } = new();

        public DateTimeOffset LastSeen { get; set; }

        /// <summary>The delay last reported as a throttle event.</summary>
        public TimeSpan ReportedDelay { get; set; }

        public int Count(DateTimeOffset now, TimeSpan window)
        {
            while (Failures.TryPeek(out var oldest) && now - oldest > window)
            {
                Failures.Dequeue();
            }

            return Failures.Count;
        }

        public bool SeenBefore(string? account, SecretFingerprint fingerprint, DateTimeOffset now, AuthGuardOptions options)
        {
            var key = (account, fingerprint);
            if (_seen.TryGetValue(key, out var at) && now - at <= options.FailureWindow)
            {
                _seen[key] = now;
                return true;
            }

            if (_seen.Count >= options.RememberedFingerprints)
            {
                _seen.Remove(_seen.MinBy(s => s.Value).Key);
            }

            _seen[key] = now;
            return false;
        }
    }

    private sealed class AccountState
    {
        private readonly Dictionary<(IPNetwork, SecretFingerprint), DateTimeOffset> _seen = [];

        public Queue<DateTimeOffset> Failures { get; } = new();

        public Dictionary<IPNetwork, DateTimeOffset> Known { get; } = [];

        /// <summary>True once the current throttle engagement has been reported as a lockout event.</summary>
        public bool LockoutReported { get; set; }

        public DateTimeOffset LastSeen { get; set; }

        public int Count(DateTimeOffset now, TimeSpan window)
        {
            while (Failures.TryPeek(out var oldest) && now - oldest > window)
            {
                Failures.Dequeue();
            }

            return Failures.Count;
        }

        public bool IsKnown(IPNetwork network, DateTimeOffset now, TimeSpan lifetime) =>
            Known.TryGetValue(network, out var at) && now - at <= lifetime;

        public bool SeenBefore(IPNetwork client, SecretFingerprint fingerprint, DateTimeOffset now, AuthGuardOptions options)
        {
            if (fingerprint.IsNone)
            {
                return false;
            }

            var key = (client, fingerprint);
            if (_seen.TryGetValue(key, out var at) && now - at <= options.AccountWindow)
            {
                _seen[key] = now;
                return true;
            }

            if (_seen.Count >= options.RememberedFingerprints)
            {
                _seen.Remove(_seen.MinBy(s => s.Value).Key);
            }

            _seen[key] = now;
            return false;
        }
    }
}
