using System.Net;

namespace Rampart.Security.Access;

/// <summary>
/// Server-wide access rules added with <c>rampart access allow|deny CIDR [--protocol P]</c>, kept in a JSON file (by
/// default <c>DATA/guard/access.json</c>) shared by the CLI and the running server, which re-reads it when it changes.
/// They complement the configuration's global lists; the connection layer checks them before the greeting.
/// </summary>
public sealed class ServerAccessRuleFile
{
    private readonly string _path;
    private readonly Lock _lock = new();
    private AccessRuleSet _cached = new();
    private long _stamp = long.MinValue;

    /// <summary>Uses the file at <paramref name="path"/>.</summary>
    public ServerAccessRuleFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = Path.GetFullPath(path);
    }

    /// <summary>The rules now (re-read when the file changed).</summary>
    public AccessRuleSet Current
    {
        get
        {
            var info = new FileInfo(_path);
            var stamp = info.Exists ? info.LastWriteTimeUtc.Ticks ^ (info.Length << 40) : 0;
            lock (_lock)
            {
                if (stamp == _stamp)
                {
                    return _cached;
                }
            }

            AccessRuleSet loaded;
            try
            {
                loaded = info.Exists ? AccessRuleSet.Parse(File.ReadAllText(_path)) : new AccessRuleSet();
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                // Keep the last good rules rather than open or close the server on a half-edited file.
                lock (_lock)
                {
                    return _cached;
                }
            }

            lock (_lock)
            {
                _cached = loaded;
                _stamp = stamp;
                return loaded;
            }
        }
    }

    /// <summary>Whether <paramref name="client"/> may use <paramref name="protocol"/>.</summary>
    public AccessDecision Evaluate(IPAddress client, string protocol) => Current.Evaluate(client, protocol);

    /// <summary>Changes the rules atomically (temporary file and rename).</summary>
    public AccessRuleSet Update(Action<AccessRuleSet> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var rules = File.Exists(_path) ? AccessRuleSet.Parse(File.ReadAllText(_path)) : new AccessRuleSet();
        change(rules);
        var temp = _path + "." + Environment.ProcessId + ".tmp";
        File.WriteAllText(temp, rules.Serialize());
        File.Move(temp, _path, overwrite: true);
        return rules;
    }
}
