using System.Globalization;
using Rampart.Bench.Delivery.Corpus;

namespace Rampart.Bench.Protocols.Servers;

/// <summary>One of the two servers compared: how to give it users and mail before it starts, where it listens,
/// and how much memory it holds.</summary>
internal abstract class ServerUnderTest : IAsyncDisposable
{
    /// <summary>The password every benchmark user has on both servers.</summary>
    public const string Password = "Quartz-Vole-71-Fig!";

    public abstract string Name { get; }

    public int ImapPort { get; protected set; }

    public int Pop3Port { get; protected set; }

    /// <summary>Plain LMTP (RFC 2033) on loopback, as a local MTA delivers.</summary>
    public int LmtpPort { get; protected set; }

    /// <summary>Creates the accounts (before start).</summary>
    public abstract Task CreateUsersAsync(IReadOnlyList<string> users, CancellationToken cancellationToken);

    /// <summary>Puts the same messages into the INBOX of each of <paramref name="users"/> (before start).</summary>
    public abstract Task SeedAsync(IReadOnlyList<string> users, IReadOnlyList<CorpusMessage> messages, CancellationToken cancellationToken);

    public abstract Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Proportional set size (PSS, kB) of every process the server runs, from /proc/PID/smaps_rollup:
    /// shared pages are divided among the processes that map them, so a sum over many processes is fair.</summary>
    public abstract long MemoryKilobytes();

    /// <summary>CPU time (user + system, seconds) the server's processes have used so far, from /proc/PID/stat:
    /// live processes' own time plus the time of children they have reaped. Differences between two readings give
    /// the CPU a run cost, a figure that other load on a shared machine disturbs far less than throughput.</summary>
    public abstract double CpuSeconds();

    public abstract ValueTask DisposeAsync();

    protected static long PssKilobytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
            {
                if (line.StartsWith("Pss:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(4).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process ended between listing and reading: it holds nothing now.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 0;
    }

    /// <summary>utime + stime + cutime + cstime of <paramref name="pids"/>, in seconds (clock ticks of 1/100 s, the
    /// USER_HZ of Linux on every architecture .NET runs on).</summary>
    protected static double CpuSecondsOf(IEnumerable<int> pids)
    {
        long ticks = 0;
        foreach (var pid in pids)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                // Fields after "(comm) ": state is [0]; utime, stime, cutime, cstime are fields 14–17 of proc(5), [11]–[14] here.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                for (var i = 11; i <= 14; i++)
                {
                    ticks += long.Parse(fields[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The process ended between listing and reading; its parent's cutime has its time once reaped.
            }
        }

        return ticks / 100.0;
    }

    /// <summary>The process and all its descendants, from /proc/*/stat parent links.</summary>
    protected static List<int> ProcessTree(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // "pid (comm) state ppid ...": comm may contain spaces, so parse after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                if (!children.TryGetValue(parent, out var list))
                {
                    children[parent] = list = [];
                }

                list.Add(pid);
            }
            catch (IOException)
            {
            }
        }

        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            if (children.TryGetValue(tree[i], out var list))
            {
                tree.AddRange(list);
            }
        }

        return tree;
    }
}
