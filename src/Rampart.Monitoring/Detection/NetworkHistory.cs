using System.Text.Json;

namespace Rampart.Monitoring.Detection;

/// <summary>
/// Which networks each account logged in from, and when last, kept in <c>DATA/monitoring/networks.json</c> so that
/// "new network" survives restarts. Entries older than the look-back are dropped when saved. Saving writes a
/// temporary file, fsyncs it and renames it over the old one, so a crash leaves the old or the new state, never half.
/// </summary>
public sealed class NetworkHistory
{
    /// <summary>The file name inside the monitoring directory.</summary>
    public const string FileName = "networks.json";

    /// <summary>Networks remembered per account; the oldest are forgotten beyond it. Default 256.</summary>
    public const int MaxNetworksPerAccount = 256;

    private readonly string? path;
    private readonly Dictionary<string, Dictionary<string, DateTimeOffset>> accounts;
    private bool dirty;

    private NetworkHistory(string? path, Dictionary<string, Dictionary<string, DateTimeOffset>> accounts)
    {
        this.path = path;
        this.accounts = accounts;
    }

    /// <summary>An in-memory history (tests, tools).</summary>
    public static NetworkHistory InMemory() => new(null, new(StringComparer.OrdinalIgnoreCase));

    /// <summary>Loads the history from <paramref name="directory"/> (empty when the file does not exist).</summary>
    public static NetworkHistory Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var accounts = new Dictionary<string, Dictionary<string, DateTimeOffset>>(StringComparer.OrdinalIgnoreCase);
        if (File.Exists(path))
        {
            var stored = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, DateTimeOffset>>>(File.ReadAllBytes(path)) ?? [];
            foreach (var (account, networks) in stored)
            {
                accounts[account] = new Dictionary<string, DateTimeOffset>(networks, StringComparer.Ordinal);
            }
        }

        return new NetworkHistory(path, accounts);
    }

    /// <summary>Records a login and says whether the network is new for the account: not seen within
    /// <paramref name="lookback"/>. An account with no history at all is not "new network": its first login
    /// establishes the baseline (there is nothing to compare with, and every first login would alarm its owner).</summary>
    public bool Record(string account, string network, DateTimeOffset time, TimeSpan lookback, out bool firstEver)
    {
        lock (accounts)
        {
            dirty = true;
            if (!accounts.TryGetValue(account, out var networks))
            {
                accounts[account] = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal) { [network] = time };
                firstEver = true;
                return false;
            }

            firstEver = false;
            var known = networks.TryGetValue(network, out var last) && time - last < lookback;
            networks[network] = time > last ? time : last;
            if (networks.Count > MaxNetworksPerAccount)
            {
                networks.Remove(networks.MinBy(p => p.Value).Key);
            }

            return !known;
        }
    }

    /// <summary>Writes the history when it changed, dropping entries older than <paramref name="lookback"/>.</summary>
    public void Save(DateTimeOffset now, TimeSpan lookback)
    {
        if (path is null)
        {
            return;
        }

        byte[] json;
        lock (accounts)
        {
            if (!dirty)
            {
                return;
            }

            foreach (var networks in accounts.Values)
            {
                foreach (var old in networks.Where(p => now - p.Value >= lookback).Select(p => p.Key).ToList())
                {
                    networks.Remove(old);
                }
            }

            json = JsonSerializer.SerializeToUtf8Bytes(accounts.Where(a => a.Value.Count > 0).ToDictionary(a => a.Key, a => a.Value));
            dirty = false;
        }

        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            stream.Write(json);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
