using System.Diagnostics;
using Rampart.Smtp.Tests.Support;

namespace Rampart.Smtp.Tests.Interop;

/// <summary>curl (smtps) and swaks (when installed) submitting through <c>rampart serve</c>.</summary>
[Collection(SmtpServerCollection.Name)]
public sealed class CommandLineClientTests(SmtpServer server)
{
    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    [Fact]
    public async Task Curl_submits_over_smtps()
    {
        var file = Path.Combine(Path.GetTempPath(), "rampart-curl-" + Guid.NewGuid().ToString("N") + ".eml");
        await File.WriteAllTextAsync(file, "From: curluser@example.test\r\nTo: inboxa@example.test\r\nSubject: sent by curl\r\n\r\nHello from curl.\r\n");
        try
        {
            var (code, output) = await RunAsync("curl", "--silent", "--show-error", "--ssl-reqd", "-k",
                $"smtps://127.0.0.1:{server.Port("submissions")}", "--mail-from", "curluser@example.test", "--mail-rcpt", "inboxa@example.test",
                "-u", $"curluser:{SmtpServer.Password}", "-T", file);
            Assert.True(code == 0, output);
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Contains(await server.ReadMailboxAsync("inboxa"), m => m.Contains("sent by curl", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Curl_cannot_relay_through_port_25()
    {
        var file = Path.Combine(Path.GetTempPath(), "rampart-curl-" + Guid.NewGuid().ToString("N") + ".eml");
        await File.WriteAllTextAsync(file, "From: a@remote.test\r\nSubject: relay\r\n\r\nx\r\n");
        try
        {
            var (code, output) = await RunAsync("curl", "--silent", "--show-error", $"smtp://127.0.0.1:{server.Port("smtp")}",
                "--mail-from", "a@remote.test", "--mail-rcpt", "victim@elsewhere.test", "-T", file);
            Assert.NotEqual(0, code);
            Assert.Contains("550", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Swaks_submits_with_auth_over_starttls()
    {
        if (!File.Exists("/usr/bin/swaks"))
        {
            // .ci/run installs swaks; a developer machine may lack it.
            return;
        }

        var (code, output) = await RunAsync("swaks", "--server", "127.0.0.1", "--port", server.Port("submission").ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tls", "--auth", "PLAIN", "--auth-user", "swaksuser", "--auth-password", SmtpServer.Password,
            "--from", "swaksuser@example.test", "--to", "inboxb@example.test", "--header", "Subject: sent by swaks", "--h-From", "swaksuser@example.test");
        Assert.True(code == 0, output);
        Assert.Contains(await server.ReadMailboxAsync("inboxb"), m => m.Contains("sent by swaks", StringComparison.Ordinal));
    }
}
