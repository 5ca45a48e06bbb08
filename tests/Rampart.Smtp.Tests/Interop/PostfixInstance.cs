using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Rampart.Smtp.Tests.Interop;

/// <summary>
/// Debian's Postfix, run as a private instance: its own config_directory, queue_directory and data_directory under a
/// temporary folder, smtpd on a free loopback port, and every mail for <see cref="Domain"/> handed to Rampart over
/// LMTP (RFC 2033) through Postfix's lmtp client, as a site that keeps Postfix in front would configure it.
/// </summary>
/// <remarks>Must run as root: <c>postfix start</c> is reserved to the superuser and the queue must be owned by root
/// (the daemons drop to <c>mail_owner</c>). <c>local_recipient_maps</c> is empty so Postfix accepts every local
/// recipient and the unknown ones are refused by Rampart's LMTP, which is what the bounce test needs.</remarks>
public sealed class PostfixInstance : IAsyncDisposable
{
    public const string Domain = "rampart.test";

    public const string PostfixBinary = "/usr/sbin/postfix";

    private PostfixInstance(string directory, int smtpPort)
    {
        Directory = directory;
        SmtpPort = smtpPort;
    }

    /// <summary>The temporary folder holding etc/ (config), queue/, data/ and the maillog.</summary>
    public string Directory { get; }

    public string ConfigDirectory => Path.Combine(Directory, "etc");

    public int SmtpPort { get; }

    public string MaillogPath => Path.Combine(Directory, "maillog");

    public string Maillog => File.Exists(MaillogPath) ? File.ReadAllText(MaillogPath) : "";

    /// <summary>Writes the configuration and starts Postfix's master; returns once smtpd accepts connections.</summary>
    public static async Task<PostfixInstance> StartAsync(int lmtpPort)
    {
        Assert.True(File.Exists(PostfixBinary), "Postfix is not installed (.ci/run installs the Debian package postfix)");
        var directory = Path.Combine(Path.GetTempPath(), "rampart-postfix-" + Guid.NewGuid().ToString("N")[..12]);
        var instance = new PostfixInstance(directory, FreePort());
        try
        {
            await instance.ConfigureAndStartAsync(lmtpPort);
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }

        return instance;
    }

    private async Task ConfigureAndStartAsync(int lmtpPort)
    {
        System.IO.Directory.CreateDirectory(ConfigDirectory);
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "queue"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "data"));
        // The daemons run as mail_owner and must traverse the folder to reach data/ and the queue.
        await RunAsync("chmod", "755", Directory, ConfigDirectory, Path.Combine(Directory, "queue"));
        await RunAsync("chown", "postfix", Path.Combine(Directory, "data"));

        var master = File.Exists("/etc/postfix/master.cf") ? "/etc/postfix/master.cf" : "/usr/share/postfix/master.cf.dist";
        File.Copy(master, Path.Combine(ConfigDirectory, "master.cf"));
        var port = lmtpPort.ToString(CultureInfo.InvariantCulture);
        await File.WriteAllLinesAsync(Path.Combine(ConfigDirectory, "main.cf"),
        [
            "compatibility_level = 3.6",
            $"queue_directory = {Directory}/queue",
            $"data_directory = {Directory}/data",
            "mail_owner = postfix",
            "setgid_group = postdrop",
            $"myhostname = postfix.{Domain}",
            $"mydomain = {Domain}",
            $"myorigin = {Domain}",
            $"mydestination = {Domain}",
            "inet_interfaces = loopback-only",
            "inet_protocols = ipv4",
            "mynetworks = 127.0.0.0/8",
            // Accept every local recipient: Rampart decides over LMTP who exists (550 5.1.1 otherwise).
            "local_recipient_maps =",
            $"local_transport = lmtp:inet:127.0.0.1:{port}",
            // Nothing leaves the machine: a bounce to a remote sender fails at once instead of looking up DNS.
            "default_transport = error:remote delivery is off in this test",
            "alias_maps =",
            "alias_database =",
            "smtputf8_enable = no",
            "biff = no",
            $"maillog_file = {MaillogPath}",
            $"maillog_file_prefixes = {Directory}",
        ]);

        // No chroot (the Debian master.cf chroots most services into the queue, which would need copies of /etc
        // files there); no smtpd on port 25; smtpd on a free loopback port instead.
        await RunAsync("postconf", "-c", ConfigDirectory, "-F", "*/*/chroot = n");
        await RunAsync("postconf", "-c", ConfigDirectory, "-MX", "smtp/inet");
        var service = $"127.0.0.1:{SmtpPort.ToString(CultureInfo.InvariantCulture)}";
        await RunAsync("postconf", "-c", ConfigDirectory, "-M", $"{service}/inet={service} inet n - n - - smtpd");

        // `check` creates the queue subdirectories with their owners and modes.
        await RunAsync(PostfixBinary, "-c", ConfigDirectory, "check");
        await RunAsync(PostfixBinary, "-c", ConfigDirectory, "start");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, SmtpPort);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
            catch (SocketException error)
            {
                throw new InvalidOperationException($"Postfix's smtpd never listened: {error.Message}\n{Maillog}", error);
            }
        }
    }

    /// <summary>Waits until the maillog has a line matching <paramref name="predicate"/> and returns it.</summary>
    public async Task<string> WaitForLogLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var match = Maillog.Split('\n').FirstOrDefault(predicate);
            if (match is not null)
            {
                return match;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("no matching maillog line; the maillog:\n" + Maillog);
    }

    public async ValueTask DisposeAsync()
    {
        var pidFile = Path.Combine(Directory, "queue", "pid", "master.pid");
        if (File.Exists(pidFile))
        {
            try
            {
                await RunAsync(PostfixBinary, "-c", ConfigDirectory, "stop");
            }
            catch (InvalidOperationException)
            {
                // Fall through to killing the master this instance started.
            }

            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    using var master = Process.GetProcessById(pid);
                    master.Kill(entireProcessTree: true);
                    await master.WaitForExitAsync();
                }
                catch (ArgumentException)
                {
                    // Already gone: stop worked.
                }
            }
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + command);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', args)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}
