using System.Diagnostics;
using System.Text;
using Rampart.Pop3.Tests.Support;

namespace Rampart.Pop3.Tests.Interop;

/// <summary>The command-line clients people use: Python's poplib, curl, fetchmail (keep and flush) and Cyrus's
/// pop3test, against <c>rampart serve</c>.</summary>
[Collection(RampartServerCollection.Name)]
public sealed class CommandLineClientTests(RampartServer server)
{
    [Fact]
    public async Task Python_poplib_over_pop3s_and_stls()
    {
        var script = $$"""
            import poplib, ssl
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            p = poplib.POP3_SSL("127.0.0.1", {{server.Pop3sPort}}, context=ctx)
            caps = p.capa()
            assert "UIDL" in caps and "TOP" in caps and "USER" in caps, caps
            p.user("poplib"); p.pass_("{{RampartServer.Password}}")
            count, total = p.stat()
            assert count == 3, count
            resp, listing, _ = p.list()
            sizes = [int(l.split()[1]) for l in listing]
            assert sum(sizes) == total
            for i in range(1, count + 1):
                resp, lines, octets = p.retr(i)
                # poplib strips CRLF and undoes byte-stuffing; octets counts what was sent
                assert lines[6] == b".a line with a leading dot", lines
                assert lines[7] == b"..and two", lines
                body = b"\r\n".join(lines) + b"\r\n"
                assert len(body) == sizes[i - 1], (len(body), sizes[i - 1])
            resp, top, _ = p.top(1, 0)
            assert top[-1] == b"", top
            ids = p.uidl()[1]
            assert len(set(ids)) == 3
            p.quit()
            q = poplib.POP3("127.0.0.1", {{server.Pop3Port}})
            assert "STLS" in q.capa() and "USER" not in q.capa()
            q.stls(context=ctx)
            assert "USER" in q.capa() and "STLS" not in q.capa()
            q.user("poplib"); q.pass_("{{RampartServer.Password}}")
            assert q.stat()[0] == 3
            q.quit()
            print("ok")
            """;
        var (code, output, error) = await RunAsync("python3", ["-c", script]);
        Assert.True(code == 0 && output.Trim() == "ok", $"python3 exited {code}\n{output}\n{error}");
    }

    [Fact]
    public async Task Curl_lists_and_retrieves_over_pop3s()
    {
        var url = $"pop3s://127.0.0.1:{server.Pop3sPort}/";
        var (code, list, error) = await RunAsync("curl", ["--silent", "--show-error", "--insecure", "--user", $"curl:{RampartServer.Password}", url]);
        Assert.True(code == 0, $"curl LIST exited {code}: {error}");
        var lines = list.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var size = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

        (code, var message, error) = await RunAsync("curl", ["--silent", "--show-error", "--insecure", "--user", $"curl:{RampartServer.Password}", url + "1"]);
        Assert.True(code == 0, $"curl RETR exited {code}: {error}");
        Assert.Equal(RampartServer.Message("curl", 1).Replace("\n", "\r\n"), message);
        Assert.Equal(size, Encoding.UTF8.GetByteCount(message));

        // STLS on the plaintext listener (--ssl-reqd: fail rather than fall back to plaintext).
        (code, list, error) = await RunAsync("curl", ["--silent", "--show-error", "--insecure", "--ssl-reqd", "--user", $"curl:{RampartServer.Password}", $"pop3://127.0.0.1:{server.Pop3Port}/"]);
        Assert.True(code == 0, $"curl STLS LIST exited {code}: {error}");
        Assert.Equal(3, list.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Fetchmail_keep_then_flush()
    {
        if (!File.Exists("/usr/bin/fetchmail"))
        {
            Assert.Fail("fetchmail is not installed (apt-get install -y fetchmail)");
        }

        var work = Directory.CreateTempSubdirectory("rampart-fetchmail-").FullName;
        try
        {
            var keep = await FetchAsync(work, "fetchkeep", "keep");
            Assert.Equal(3, CountMessages(keep));
            // keep: the messages stay, and the next run (UIDL-based "fetchall") gets them again.
            var again = await FetchAsync(work, "fetchkeep", "keep");
            Assert.Equal(6, CountMessages(again));

            var flush = await FetchAsync(work, "fetchflush", "nokeep");
            Assert.Equal(3, CountMessages(flush));
            var empty = await FetchAsync(work, "fetchflush", "nokeep", expectMail: false);
            Assert.Equal(3, CountMessages(empty));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Cyrus_pop3test_logs_in_with_user_and_with_sasl()
    {
        const string pop3test = "/usr/lib/cyrus/bin/pop3test";
        if (!File.Exists(pop3test))
        {
            Assert.Fail("pop3test is not installed (apt-get install -y cyrus-clients)");
        }

        // -s: implicit TLS; -t "": STLS; -a/-u: the user; -w: the password; -m: the SASL mechanism. (pop3test's
        // own "-m user" does not recognise a USER capability that follows a SASL line, so USER/PASS is covered by
        // the other clients.)
        var runs = new[]
        {
            (Mechanism: "PLAIN", Tls: new[] { "-s" }, Port: server.Pop3sPort),
            (Mechanism: "SCRAM-SHA-256", Tls: new[] { "-s" }, Port: server.Pop3sPort),
            (Mechanism: "PLAIN", Tls: new[] { "-t", "" }, Port: server.Pop3Port),
        };
        foreach (var run in runs)
        {
            var (code, output, error) = await RunAsync(
                pop3test,
                [.. run.Tls, "-p", run.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-a", "pop3test", "-u", "pop3test", "-w", RampartServer.Password, "-m", run.Mechanism, "127.0.0.1"],
                stdin: "STAT\r\nQUIT\r\n");
            Assert.True(output.Contains("Authenticated.", StringComparison.Ordinal) && output.Contains("+OK 3 ", StringComparison.Ordinal), $"pop3test -m {run.Mechanism} {string.Join(' ', run.Tls)} exited {code}\n{output}\n{error}");
        }
    }

    private async Task<string> FetchAsync(string work, string account, string keep, bool expectMail = true)
    {
        var mbox = Path.Combine(work, account + ".mbox");
        var rc = Path.Combine(work, account + ".rc");
        await File.WriteAllTextAsync(rc, $"""
            set no bouncemail
            poll 127.0.0.1 service {server.Pop3sPort} protocol pop3 uidl
              user "{account}" there with password "{RampartServer.Password}" is "{account}" here
              ssl no sslcertck
              {keep} fetchall
              mda "/bin/sh -c 'cat >> {mbox}'"

            """);
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(rc, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var (code, output, error) = await RunAsync(
            "fetchmail", ["--nodetach", "--nosyslog", "-f", rc, "--idfile", Path.Combine(work, account + ".ids"), "-v"],
            environment: new() { ["HOME"] = work, ["FETCHMAILHOME"] = work });
        // fetchmail exits 0 when mail was fetched and 1 when there was none.
        Assert.True(code == (expectMail ? 0 : 1), $"fetchmail ({keep}) exited {code}\n{output}\n{error}\nserver: {server.ServerErrors}");
        return File.Exists(mbox) ? await File.ReadAllTextAsync(mbox) : "";
    }

    private static int CountMessages(string mbox) => mbox.Split('\n').Count(l => l.StartsWith("Subject: message ", StringComparison.Ordinal));

    private static async Task<(int Code, string Output, string Error)> RunAsync(string file, IEnumerable<string> args, string? stdin = null, Dictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? [])
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
