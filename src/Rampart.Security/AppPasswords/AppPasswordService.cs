using System.Net;
using System.Text.Json;
using Rampart.Security.Credentials;
using Rampart.Security.Guard;
using Rampart.Security.Passwords;

namespace Rampart.Security.AppPasswords;

/// <summary>
/// Per-device app passwords (SECURITY.md "two factors", F01, F02): generated, shown once, stored as Argon2id hashes,
/// scoped to protocols and optionally networks, revocable, with last use recorded. They log in through PLAIN, LOGIN,
/// IMAP LOGIN and POP3 USER/PASS, and are what IMAP/POP3/SMTP take when two factors are on.
/// </summary>
public sealed class AppPasswordService
{
    /// <summary>The most app passwords per account: 50, a bound on the stored record.</summary>
    public const int MaxPerAccount = 50;

    /// <summary>The longest label: 64 characters.</summary>
    public const int MaxLabelLength = 64;

    /// <summary>The protocols an app password can be scoped to.</summary>
    public static readonly IReadOnlyList<string> KnownProtocols = ["imap", "pop3", "smtp"];

    private readonly IAccountSecrets _secrets;
    private readonly PasswordHasher _hasher;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    public AppPasswordService(IAccountSecrets secrets, PasswordHasher hasher, AppPasswordRevocations? revocations = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(hasher);
        _secrets = secrets;
        _hasher = hasher;
        Revocations = revocations ?? new AppPasswordRevocations();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The Argon2 queue verifications go through, or null to hash on the caller's thread.</summary>
    public LoginCache.HashingQueue? Hashing { get; init; }

    /// <summary>Where revocations are signalled to open sessions.</summary>
    public AppPasswordRevocations Revocations { get; }

    /// <summary>The account's app passwords (no secrets in them).</summary>
    public async ValueTask<IReadOnlyList<AppPasswordRecord>> ListAsync(string accountName, CancellationToken cancellationToken) =>
        await ReadAsync(accountName, cancellationToken).ConfigureAwait(false);

    /// <summary>Makes an app password; returns its record and the password, which is never shown again.</summary>
    /// <exception cref="ArgumentException">A bad label, protocol or network, a label in use, or too many app passwords.</exception>
    public async ValueTask<(AppPasswordRecord Record, string Password)> CreateAsync(
        string accountName, string label, IEnumerable<string>? protocols, IEnumerable<string>? networks, CancellationToken cancellationToken)
    {
        label = (label ?? string.Empty).Trim();
        if (label.Length is 0 or > MaxLabelLength || label.Any(char.IsControl))
        {
            throw new ArgumentException($"a label is 1 to {MaxLabelLength} printable characters", nameof(label));
        }

        var protocolList = (protocols ?? []).Select(p => p.Trim().ToLowerInvariant()).Where(p => p.Length > 0).Distinct().ToList();
        foreach (var protocol in protocolList.Where(p => !KnownProtocols.Contains(p)))
        {
            throw new ArgumentException($"unknown protocol \"{protocol}\" ({string.Join(", ", KnownProtocols)})", nameof(protocols));
        }

        var networkList = new List<string>();
        foreach (var network in networks ?? [])
        {
            networkList.Add(ClientNetworks.TryParse(network, out var parsed)
                ? parsed.ToString()
                : throw new ArgumentException($"\"{network}\" is not a CIDR network or address", nameof(networks)));
        }

        var list = await ReadAsync(accountName, cancellationToken).ConfigureAwait(false);
        if (list.Any(r => string.Equals(r.Label, label, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"an app password labelled \"{label}\" exists; revoke it first", nameof(label));
        }

        if (list.Count >= MaxPerAccount)
        {
            throw new ArgumentException($"an account has at most {MaxPerAccount} app passwords", nameof(label));
        }

        string password, id, canonical;
        do
        {
            password = AppPasswordFormat.Generate();
            if (!AppPasswordFormat.TryParse(password, out id, out canonical))
            {
                throw new InvalidOperationException("A generated app password does not have the app-password shape.");
            }
        }
        while (list.Any(r => r.Id == id));

        var record = new AppPasswordRecord
        {
            Id = id,
            Label = label,
            Hash = _hasher.Hash(canonical),
            Protocols = protocolList,
            Networks = networkList,
            Created = _time.GetUtcNow(),
        };
        list.Add(record);
        await WriteAsync(accountName, list, cancellationToken).ConfigureAwait(false);
        return (record, password);
    }

    /// <summary>Revokes the app password labelled <paramref name="label"/>; open sessions that used it are told at once
    /// in this process. False when there is none.</summary>
    public async ValueTask<bool> RevokeAsync(string accountName, string label, CancellationToken cancellationToken)
    {
        var list = await ReadAsync(accountName, cancellationToken).ConfigureAwait(false);
        var record = list.Find(r => string.Equals(r.Label, label, StringComparison.OrdinalIgnoreCase));
        if (record is null)
        {
            return false;
        }

        list.Remove(record);
        await WriteAsync(accountName, list, cancellationToken).ConfigureAwait(false);
        Revocations.Revoke(accountName, record.Id);
        return true;
    }

    /// <summary>
    /// Checks <paramref name="presented"/> (already known to have the app-password shape) for the account, protocol and
    /// client. Costs exactly one Argon2 verification whether or not the account or the id exists (E02). On success the
    /// last use is recorded.
    /// </summary>
    public async ValueTask<AppPasswordMatch?> VerifyAsync(
        string? accountName, string presented, string protocol, IPAddress client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presented);
        ArgumentNullException.ThrowIfNull(client);
        if (!AppPasswordFormat.TryParse(presented, out var id, out var canonical))
        {
            return null;
        }

        var list = accountName is null ? [] : await ReadAsync(accountName, cancellationToken).ConfigureAwait(false);
        var record = list.Find(r => r.Id == id);
        if (record is null)
        {
            await HashAsync(() => _hasher.VerifyUnknownUser(canonical), cancellationToken).ConfigureAwait(false);
            return null;
        }

        // Verify first, then check the scope, so an out-of-scope try costs the same as a wrong one.
        if (!await HashAsync(() => _hasher.Verify(canonical, record.Hash), cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        if ((record.Protocols.Count > 0 && !record.Protocols.Contains(protocol.ToLowerInvariant()))
            || (record.Networks.Count > 0 && !record.Networks.Any(n => ClientNetworks.TryParse(n, out var network) && ClientNetworks.Contains(network, client))))
        {
            return null;
        }

        record.LastUsed = _time.GetUtcNow();
        record.LastAddress = Net.Access.IPAddressNormalization.Normalize(client).ToString();
        record.LastProtocol = protocol.ToLowerInvariant();
        await WriteAsync(accountName!, list, cancellationToken).ConfigureAwait(false);
        return new AppPasswordMatch(record.Id, record.Label);
    }

    private async ValueTask<bool> HashAsync(Func<bool> work, CancellationToken cancellationToken) =>
        Hashing is null ? work() : await Hashing.RunAsync(work, cancellationToken).ConfigureAwait(false);

    private async ValueTask<List<AppPasswordRecord>> ReadAsync(string accountName, CancellationToken cancellationToken)
    {
        var text = await _secrets.GetAsync(accountName, SecretKinds.AppPasswords, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(text) || text.Length > 1024 * 1024)
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize(text, AppPasswordJsonContext.Default.ListAppPasswordRecord) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private ValueTask WriteAsync(string accountName, List<AppPasswordRecord> list, CancellationToken cancellationToken) =>
        _secrets.SetAsync(accountName, SecretKinds.AppPasswords, list.Count == 0 ? null : JsonSerializer.Serialize(list, AppPasswordJsonContext.Default.ListAppPasswordRecord), cancellationToken);
}
