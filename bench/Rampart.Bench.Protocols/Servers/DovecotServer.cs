using System.Diagnostics;
using System.Globalization;
using System.Text;
using Rampart.Bench.Delivery.Corpus;

namespace Rampart.Bench.Protocols.Servers;

/// <summary>Dovecot 2.3 as the reference server, run by bench/dovecot/dovecot.sh with its own configuration in the
/// benchmark's working folder (passwd-file, Maildir, implicit TLS, PLAIN, a login cache).</summary>
internal sealed class DovecotServer(string directory, int portOffset, string script, string passwordScheme) : ServerUnderTest
{
    private int _masterPid;

    public override string Name => "Dovecot";

    public static string Version(string script)
    {
        var (code, output) = Run(script, ["version"]);
        return code == 0 ? output.Trim() : "unknown";
    }

    /// <summary>Finds bench/dovecot/dovecot.sh above the current directory or the program's folder.</summary>
    public static string? FindScript()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "bench", "dovecot", "dovecot.sh");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    public override Task CreateUsersAsync(IReadOnlyList<string> users, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllLines(Path.Combine(directory, "users"), users.Select(u => u + " " + Password));
        foreach (var user in users)
        {
            foreach (var sub in new[] { "cur", "new", "tmp" })
            {
                Directory.CreateDirectory(Path.Combine(MaildirOf(user), sub));
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Writes each message as a Maildir file in <c>cur/</c> with LF line ends (how Maildir stores mail) and
    /// the S= (file size) and W= (CRLF size) fields Dovecot's own deliveries add, so it need not read a file to
    /// learn its size.</summary>
    public override Task SeedAsync(IReadOnlyList<string> users, IReadOnlyList<CorpusMessage> messages, CancellationToken cancellationToken)
    {
        const long FirstTime = 1_704_700_000; // 2024-01-08, near the corpus dates
        Parallel.For(0, messages.Count, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken }, i =>
        {
            var crlf = messages[i].Bytes;
            var lf = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(crlf).Replace("\r\n", "\n", StringComparison.Ordinal));
            var name = string.Create(CultureInfo.InvariantCulture, $"{FirstTime + i}.M{i}P1.bench,S={lf.Length},W={crlf.Length}:2,");
            foreach (var user in users)
            {
                var path = Path.Combine(MaildirOf(user), "cur", name);
                File.WriteAllBytes(path, lf);
                // Maildir order is the order Dovecot assigns UIDs in: by file time, then name.
                File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddSeconds(FirstTime + i));
            }
        });
        return Task.CompletedTask;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var (code, output) = Run(script, ["start", directory, portOffset.ToString(CultureInfo.InvariantCulture)], new() { ["DOVECOT_PASS_SCHEME"] = passwordScheme });
        if (code != 0)
        {
            throw new InvalidOperationException("dovecot.sh start failed: " + output);
        }

        _masterPid = int.Parse(File.ReadAllText(Path.Combine(directory, "run", "master.pid")).Trim(), CultureInfo.InvariantCulture);
        ImapPort = portOffset + 993;
        Pop3Port = portOffset + 995;
        LmtpPort = portOffset + 24;
        return Task.CompletedTask;
    }

    public int MasterPid => _masterPid;

    public override long MemoryKilobytes() => _masterPid == 0 ? 0 : ProcessTree(_masterPid).Sum(PssKilobytes);

    public override double CpuSeconds() => _masterPid == 0 ? 0 : CpuSecondsOf(ProcessTree(_masterPid));

    /// <summary>Dovecot's processes by their title (imap, imap-login, auth…), for the memory breakdown.</summary>
    public int CountProcesses(string title) => _masterPid == 0 ? 0 : ProcessTree(_masterPid).Count(pid =>
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim() == title;
        }
        catch (IOException)
        {
            return false;
        }
    });

    public override ValueTask DisposeAsync()
    {
        if (_masterPid != 0)
        {
            Run(script, ["stop", directory]);
            _masterPid = 0;
        }

        return ValueTask.CompletedTask;
    }

    private string MaildirOf(string user) => Path.Combine(directory, "mail", user, "Maildir");

    private static (int Code, string Output) Run(string script, IEnumerable<string> args, Dictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment ?? [])
        {
            info.Environment[key] = value;
        }

        info.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not run " + script);
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
