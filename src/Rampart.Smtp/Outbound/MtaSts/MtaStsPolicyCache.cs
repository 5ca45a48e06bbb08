using System.Collections.Concurrent;
using System.Text.Json;

namespace Rampart.Smtp.Outbound.MtaSts;

/// <summary>Policies kept across restarts (RFC 8461 §5.1: a sender caches the policy for max_age, which is what makes
/// a later downgrade visible): a JSON file per domain in <c>DATA/mta-sts</c>, written to a temporary file and
/// renamed, so a crash leaves the old copy or the new one.</summary>
public sealed class MtaStsPolicyCache
{
    private readonly string? directory;
    private readonly ConcurrentDictionary<string, CachedMtaStsPolicy> memory = new(StringComparer.Ordinal);

    /// <summary>A cache in <paramref name="directory"/> (created when missing); in memory only when null.</summary>
    public MtaStsPolicyCache(string? directory)
    {
        this.directory = directory;
        if (directory is not null)
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    /// <summary>The cached policy of <paramref name="domain"/>, expired or not; null when none or unreadable.</summary>
    public CachedMtaStsPolicy? Get(string domain)
    {
        if (memory.TryGetValue(domain, out var cached))
        {
            return cached;
        }

        if (PathOf(domain) is not { } path || !File.Exists(path))
        {
            return null;
        }

        try
        {
            var stored = JsonSerializer.Deserialize<StoredPolicy>(File.ReadAllText(path));
            if (stored is null || MtaStsPolicy.TryParse(stored.Text, out _) is not { } policy)
            {
                return null;
            }

            cached = new CachedMtaStsPolicy(stored.Id, stored.Fetched, stored.Text, policy);
            memory[domain] = cached;
            return cached;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            // A damaged file is as if there were none: the next fetch replaces it.
            return null;
        }
    }

    /// <summary>Stores <paramref name="policy"/> for <paramref name="domain"/>.</summary>
    public void Put(string domain, CachedMtaStsPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        memory[domain] = policy;
        if (PathOf(domain) is not { } path)
        {
            return;
        }

        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new StoredPolicy(policy.Id, policy.Fetched, policy.Text)));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The file of <paramref name="domain"/>; null for a name that is not a plain A-label domain (never a path
    /// outside the directory).</summary>
    private string? PathOf(string domain)
    {
        if (directory is null || domain.Length is 0 or > 253 || domain.StartsWith('.')
            || !domain.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-'))
        {
            return null;
        }

        return Path.Combine(directory, domain + ".json");
    }

    private sealed record StoredPolicy(string Id, DateTimeOffset Fetched, string Text);
}
