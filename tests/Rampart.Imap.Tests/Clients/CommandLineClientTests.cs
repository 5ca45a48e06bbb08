using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Rampart.Imap.Tests.Clients;

/// <summary>The command-line IMAP clients people use — Python's imaplib, curl, mbsync, fetchmail and Cyrus's
/// imtest — against the real <c>rampart serve</c> over imaps. MailKit only checks the server's state afterwards.</summary>
[Collection(RampartServeCollection.Name)]
public sealed class CommandLineClientTests(RampartServe server)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private string Port => server.ImapsPort.ToString(Invariant);

    [Fact]
    public async Task Python_imaplib_reads_stores_and_manages_folders()
    {
        var work = Directory.CreateTempSubdirectory("rampart-imaplib-").FullName;
        try
        {
            for (var n = 1; n <= RampartServe.SeededCount; n++)
            {
                await File.WriteAllTextAsync(Path.Combine(work, $"{n}.eml"), RampartServe.Message("imaplib", n));
            }

            var script = $$"""
                import imaplib, ssl, os
                work = {{PythonString(work)}}
                ctx = ssl.create_default_context()
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
                M = imaplib.IMAP4_SSL("127.0.0.1", {{Port}}, ssl_context=ctx)
                assert "IMAP4REV1" in M.capabilities, M.capabilities
                typ, _ = M.login("imaplib", {{PythonString(RampartServe.Password)}})
                assert typ == "OK"
                typ, boxes = M.list()
                # a mailbox name may come as an atom or a quoted string (RFC 9051 §4.3)
                names = lambda boxes: [b.rsplit(b" ", 1)[-1].strip(b'"') for b in boxes]
                assert typ == "OK" and b"INBOX" in names(boxes), boxes
                typ, data = M.select("INBOX")
                assert typ == "OK" and data == [b"2"], data
                typ, data = M.search(None, "ALL")
                assert data == [b"1 2"], data
                expected = lambda n: open(os.path.join(work, "%d.eml" % n), "rb").read()
                # RFC822 sets \Seen (RFC 9051 §6.4.5); BODY.PEEK[] does not.
                typ, data = M.fetch("1", "(RFC822)")
                assert typ == "OK" and data[0][1] == expected(1), data
                typ, data = M.fetch("2", "(BODY.PEEK[])")
                assert typ == "OK" and data[0][1] == expected(2), data
                typ, data = M.search(None, "SEEN")
                assert data == [b"1"], data
                # A STORE that changes nothing still answers with the flags (imaplib returns them as data[0]).
                typ, data = M.store("1", "+FLAGS", "\\Seen")
                assert typ == "OK" and data[0] is not None and b"\\Seen" in data[0], data
                typ, data = M.search(None, "UNSEEN")
                assert data == [b"2"], data
                typ, data = M.uid("FETCH", "1:*", "(UID RFC822.SIZE FLAGS)")
                assert typ == "OK" and len(data) == 2, data
                typ, data = M.append("INBOX", "(\\Flagged)", None, b"Subject: appended by imaplib\r\n\r\nbody\r\n")
                assert typ == "OK", data
                typ, data = M.search(None, "FLAGGED")
                assert data == [b"3"], data
                assert M.create("Work")[0] == "OK"
                assert M.rename("Work", "Job")[0] == "OK"
                typ, boxes = M.list()
                assert b"Job" in names(boxes) and b"Work" not in names(boxes), boxes
                typ, data = M.copy("3", "Job")
                assert typ == "OK", data
                typ, data = M.status("Job", "(MESSAGES)")
                assert typ == "OK" and b"MESSAGES 1" in data[0], data
                assert M.delete("Job")[0] == "OK"
                typ, boxes = M.list()
                assert b"Job" not in names(boxes), boxes
                assert M.close()[0] == "OK"
                typ, data = M.logout()
                assert typ == "BYE", (typ, data)
                print("ok")
                """;
            var (code, output, error) = await ClientProcess.RunAsync("python3", ["-c", script]);
            Assert.True(code == 0 && output.Trim() == "ok", $"python3 exited {code}\n{output}\n{error}\nserver: {server.ServerErrors}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Imaplib_and_curl_log_in_only_after_starttls()
    {
        var script = $$"""
            import imaplib, ssl
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            M = imaplib.IMAP4("127.0.0.1", {{server.ImapPort.ToString(Invariant)}})
            # RFC 9051 §6.2.3: no LOGIN in the clear.
            assert "STARTTLS" in M.capabilities and "LOGINDISABLED" in M.capabilities, M.capabilities
            try:
                M.login("starttls", {{PythonString(RampartServe.Password)}})
                raise SystemExit("LOGIN accepted before STARTTLS")
            except imaplib.IMAP4.error:
                pass
            assert M.starttls(ssl_context=ctx)[0] == "OK"
            assert "STARTTLS" not in M.capabilities and "LOGINDISABLED" not in M.capabilities, M.capabilities
            assert M.login("starttls", {{PythonString(RampartServe.Password)}})[0] == "OK"
            assert M.select("INBOX") == ("OK", [b"2"])
            M.logout()
            print("ok")
            """;
        var (code, output, error) = await ClientProcess.RunAsync("python3", ["-c", script]);
        Assert.True(code == 0 && output.Trim() == "ok", $"python3 exited {code}\n{output}\n{error}\nserver: {server.ServerErrors}");

        // --ssl-reqd: curl fails rather than send the password in the clear.
        (code, var examine, error) = await ClientProcess.RunAsync(
            "curl", ["--silent", "--show-error", "--insecure", "--ssl-reqd", "--max-time", "20", "--user", $"starttls:{RampartServe.Password}", "-X", "EXAMINE INBOX", $"imap://127.0.0.1:{server.ImapPort.ToString(Invariant)}/"]);
        Assert.True(code == 0, $"curl STARTTLS exited {code}: {error}");
        Assert.Contains("* 2 EXISTS", examine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curl_lists_fetches_examines_searches_and_appends()
    {
        var url = $"imaps://127.0.0.1:{Port}/";
        string[] common = ["--silent", "--show-error", "--insecure", "--max-time", "20", "--user", $"curl:{RampartServe.Password}"];

        var (code, list, error) = await ClientProcess.RunAsync("curl", [.. common, url]);
        Assert.True(code == 0, $"curl LIST exited {code}: {error}");
        Assert.Contains(list.Split("\r\n"), l => l.StartsWith("* LIST ", StringComparison.Ordinal) && l.Split(' ')[^1].Trim('"') == "INBOX");

        (code, var message, error) = await ClientProcess.RunAsync("curl", [.. common, url + "INBOX;UID=1"]);
        Assert.True(code == 0, $"curl FETCH exited {code}: {error}");
        Assert.Equal(RampartServe.Message("curl", 1), message);

        (code, var examine, error) = await ClientProcess.RunAsync("curl", [.. common, "-X", "EXAMINE INBOX", url]);
        Assert.True(code == 0, $"curl EXAMINE exited {code}: {error}");
        Assert.Contains("* 2 EXISTS", examine, StringComparison.Ordinal);

        (code, var search, error) = await ClientProcess.RunAsync("curl", [.. common, url + "INBOX?SUBJECT%20%22message%202%22"]);
        Assert.True(code == 0, $"curl SEARCH exited {code}: {error}");
        Assert.Equal("* SEARCH 2", search.Trim());

        // Upload is APPEND with a synchronizing literal.
        var work = Directory.CreateTempSubdirectory("rampart-curl-").FullName;
        try
        {
            var upload = Path.Combine(work, "upload.eml");
            var appended = "From: curl@example.test\r\nSubject: uploaded by curl\r\n\r\nHello.\r\n";
            await File.WriteAllTextAsync(upload, appended);
            (code, _, error) = await ClientProcess.RunAsync("curl", [.. common, "--upload-file", upload, url + "INBOX"]);
            Assert.True(code == 0, $"curl APPEND exited {code}: {error}");
            (code, message, error) = await ClientProcess.RunAsync("curl", [.. common, url + "INBOX;UID=3"]);
            Assert.True(code == 0, $"curl FETCH UID 3 exited {code}: {error}");
            Assert.Equal(appended, message);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Imtest_authenticates_with_scram_and_plain()
    {
        const string imtest = "/usr/lib/cyrus/bin/imtest";
        ClientProcess.Require(imtest, "cyrus-clients");
        foreach (var mechanism in new[] { "SCRAM-SHA-256", "PLAIN" })
        {
            // -s: implicit TLS; -a/-u: the user; -w: the password; -m: the SASL mechanism. imtest sends what it reads
            // from standard input once it has authenticated.
            var (code, output, error) = await ClientProcess.RunAsync(
                imtest,
                ["-s", "-p", Port, "-a", "imtest", "-u", "imtest", "-w", RampartServe.Password, "-m", mechanism, "127.0.0.1"],
                stdin: "t1 SELECT INBOX\r\nt2 LOGOUT\r\n");
            var context = $"imtest -m {mechanism} exited {code}\n{output}\n{error}\nserver: {server.ServerErrors}";
            Assert.True(output.Contains("Authenticated.", StringComparison.Ordinal), context);
            Assert.True(output.Contains("* 2 EXISTS", StringComparison.Ordinal), context);
            Assert.True(output.Contains("t2 OK", StringComparison.Ordinal), context);
        }
    }

    [Fact]
    public async Task Fetchmail_fetches_unseen_messages_and_marks_them_seen()
    {
        ClientProcess.Require("/usr/bin/fetchmail", "fetchmail");
        var work = Directory.CreateTempSubdirectory("rampart-fetchmail-").FullName;
        try
        {
            var mbox = Path.Combine(work, "fetched.mbox");
            var rc = Path.Combine(work, "fetchmailrc");
            await File.WriteAllTextAsync(rc, $"""
                set no bouncemail
                poll 127.0.0.1 service {Port} protocol IMAP
                  user "fetchmail" there with password "{RampartServe.Password}" is "fetchmail" here
                  ssl no sslcertck
                  keep
                  mda "/bin/sh -c 'cat >> {mbox}'"

                """);
            // fetchmail refuses a run control file that others can read.
            if (OperatingSystem.IsLinux())
            {
                File.SetUnixFileMode(rc, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            string[] args = ["--nodetach", "--nosyslog", "-f", rc, "--idfile", Path.Combine(work, "ids"), "-v"];
            var environment = new Dictionary<string, string> { ["HOME"] = work, ["FETCHMAILHOME"] = work };

            var (code, output, error) = await ClientProcess.RunAsync("fetchmail", args, environment: environment);
            Assert.True(code == 0, $"fetchmail exited {code}\n{output}\n{error}\nserver: {server.ServerErrors}");
            var fetched = await File.ReadAllTextAsync(mbox);
            for (var n = 1; n <= RampartServe.SeededCount; n++)
            {
                // The MDA gets the message as delivered, line ends normalised to LF by fetchmail.
                Assert.Contains(RampartServe.Message("fetchmail", n).Replace("\r\n", "\n", StringComparison.Ordinal), fetched, StringComparison.Ordinal);
            }

            // keep without fetchall: fetchmail set \Seen, so a second poll finds no new mail (exit 1).
            (code, output, error) = await ClientProcess.RunAsync("fetchmail", args, environment: environment);
            Assert.True(code == 1, $"second fetchmail exited {code}\n{output}\n{error}");
            using var client = await ConnectAsync("fetchmail");
            var inbox = client.Inbox;
            await inbox.OpenAsync(FolderAccess.ReadOnly);
            var summaries = await inbox.FetchAsync(0, -1, MessageSummaryItems.Flags);
            Assert.Equal(RampartServe.SeededCount, summaries.Count);
            Assert.All(summaries, s => Assert.True(s.Flags!.Value.HasFlag(MessageFlags.Seen)));
            await client.DisconnectAsync(true);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Mbsync_syncs_inbox_both_ways()
    {
        ClientProcess.Require("/usr/bin/mbsync", "isync");
        var work = Directory.CreateTempSubdirectory("rampart-mbsync-").FullName;
        try
        {
            var maildir = Path.Combine(work, "mail", "INBOX");
            // mbsync creates the INBOX Maildir but not the store's root.
            Directory.CreateDirectory(Path.Combine(work, "mail"));
            var rc = Path.Combine(work, "mbsyncrc");
            // Host localhost: mbsync checks the certificate's DNS names, and serve's generated one names localhost.
            await File.WriteAllTextAsync(rc, $"""
                IMAPAccount rampart
                Host localhost
                Port {Port}
                User mbsync
                Pass "{RampartServe.Password}"
                SSLType IMAPS
                SystemCertificates no
                CertificateFile {server.CertificatePath}
                AuthMechs LOGIN

                IMAPStore remote
                Account rampart

                MaildirStore local
                Path {Path.Combine(work, "mail")}/
                Inbox {maildir}

                Channel inbox
                Far :remote:INBOX
                Near :local:INBOX
                Sync All
                Create Both
                Expunge Both
                SyncState *

                """);
            async Task SyncAsync(string step)
            {
                var (code, output, error) = await ClientProcess.RunAsync(
                    "mbsync", ["-c", rc, "-V", "inbox"], environment: new() { ["HOME"] = work });
                Assert.True(code == 0, $"mbsync ({step}) exited {code}\n{output}\n{error}\nserver: {server.ServerErrors}");
            }

            // 1. Pull: the seeded messages arrive in the Maildir byte for byte.
            await SyncAsync("pull");
            var local = LocalMessages(maildir);
            Assert.Equal(RampartServe.SeededCount, local.Count);
            for (var n = 1; n <= RampartServe.SeededCount; n++)
            {
                // A Maildir keeps LF line ends, and mbsync adds its own X-TUID header line while it syncs.
                var body = RampartServe.Message("mbsync", n).Split("\r\n\r\n", 2)[1].Replace("\r\n", "\n", StringComparison.Ordinal);
                Assert.Contains(local, f => File.ReadAllText(f) is var text && text.Contains($"Subject: message {n} for mbsync\n", StringComparison.Ordinal) && text.EndsWith("\n\n" + body, StringComparison.Ordinal));
            }

            // 2. Push: a message written into the Maildir is appended to the server's INBOX.
            // Written with LF as a local mail program would; mbsync sends it with CRLF, which the server keeps.
            var pushed = "From: me@example.test\r\nTo: mbsync@example.test\r\nSubject: written locally\r\nMessage-ID: <local.mbsync@example.test>\r\n\r\nPushed by mbsync.\r\n";
            await File.WriteAllTextAsync(Path.Combine(maildir, "new", "1700000000.rampart-test.local"), pushed.Replace("\r\n", "\n", StringComparison.Ordinal));
            // 3. Flag one pulled message locally (Maildir info ":2,F").
            var first = local.First(f => File.ReadAllText(f).Contains("message 1 for", StringComparison.Ordinal));
            File.Move(first, FlaggedName(first));
            await SyncAsync("push");

            using (var client = await ConnectAsync("mbsync"))
            {
                var inbox = client.Inbox;
                await inbox.OpenAsync(FolderAccess.ReadWrite);
                var summaries = await inbox.FetchAsync(0, -1, MessageSummaryItems.Flags | MessageSummaryItems.Envelope | MessageSummaryItems.UniqueId);
                Assert.Equal(RampartServe.SeededCount + 1, summaries.Count);
                var appended = Assert.Single(summaries, s => s.Envelope!.Subject == "written locally");
                using var raw = new MemoryStream();
                (await inbox.GetStreamAsync(appended.UniqueId)).CopyTo(raw);
                // mbsync stamps what it uploads with an X-TUID header (even when APPENDUID names the new UID); the
                // rest must arrive byte for byte.
                var stored = Encoding.UTF8.GetString(raw.ToArray());
                Assert.Matches("\r\nX-TUID: [^\r\n]+\r\n", stored);
                Assert.Equal(pushed, Regex.Replace(stored, "X-TUID: [^\r\n]+\r\n", ""));
                var flagged = Assert.Single(summaries, s => s.Flags!.Value.HasFlag(MessageFlags.Flagged));
                Assert.Equal("message 1 for mbsync", flagged.Envelope!.Subject);

                // 4. A change on the server (\Seen on message 2) comes back to the Maildir on the next sync.
                var second = summaries.Single(s => s.Envelope!.Subject == "message 2 for mbsync");
                await inbox.AddFlagsAsync(second.UniqueId, MessageFlags.Seen, true);
                await client.DisconnectAsync(true);
            }

            await SyncAsync("pull flags");
            local = LocalMessages(maildir);
            Assert.Equal(RampartServe.SeededCount + 1, local.Count);
            var seen = Assert.Single(local, f => File.ReadAllText(f).Contains("message 2 for", StringComparison.Ordinal));
            Assert.Contains('S', Path.GetFileName(seen).Split(":2,")[1]);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private async Task<ImapClient> ConnectAsync(string account)
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", server.ImapsPort, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(account, RampartServe.Password);
        return client;
    }

    private static List<string> LocalMessages(string maildir) =>
        [.. Directory.GetFiles(Path.Combine(maildir, "cur")), .. Directory.GetFiles(Path.Combine(maildir, "new"))];

    /// <summary>The Maildir name with F added to its info flags (which stay in ASCII order).</summary>
    private static string FlaggedName(string path)
    {
        var name = Path.GetFileName(path);
        var info = name.Contains(":2,", StringComparison.Ordinal) ? name.Split(":2,")[1] : "";
        var baseName = name.Contains(":2,", StringComparison.Ordinal) ? name.Split(":2,")[0] : name;
        var flags = string.Concat((info + "F").Distinct().Order());
        return Path.Combine(Path.GetDirectoryName(path)!.Replace("/new", "/cur", StringComparison.Ordinal), baseName + ":2," + flags);
    }

    /// <summary>A Python string literal (repr-style, single-quoted) for <paramref name="value"/>.</summary>
    private static string PythonString(string value) =>
        "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
