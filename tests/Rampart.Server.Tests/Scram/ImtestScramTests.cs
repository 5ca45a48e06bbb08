using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Rampart.Server.Tests.Scram;

/// <summary>
/// SCRAM against cyrus-clients' <c>imtest</c> (libsasl2 2.1.28). Its SCRAM plugin registers no -PLUS names; given TLS it
/// binds with <c>tls-unique</c> (the Finished message, which RFC 9266 undefines for TLS 1.3) and sends the GS2 header
/// <c>p=tls-unique</c> under the plain name <c>AUTHENTICATE SCRAM-SHA-256</c>. Rampart has <c>tls-server-end-point</c>
/// only, and a <c>p</c> flag on the mechanism without -PLUS is an error (RFC 5802 §6), so that attempt gets the generic
/// failure; asked for SCRAM-SHA-256, imtest sends <c>n</c> and logs in.
/// </summary>
[Collection(DefaultScramServerCollection.Name)]
public sealed partial class ImtestScramTests(DefaultScramServer server)
{
    private const string Imtest = "/usr/lib/cyrus/bin/imtest";

    [Theory]
    [InlineData("SCRAM-SHA-256-PLUS")]
    [InlineData(null)]
    public async Task Imtest_asked_for_plus_binds_with_tls_unique_under_the_plain_name_and_is_refused(string? mechanism)
    {
        var transcript = await ImtestAsync(mechanism);

        var start = AuthenticateLine().Match(transcript);
        Assert.True(start.Success, transcript);
        Assert.Equal("SCRAM-SHA-256", start.Groups[1].Value);
        Assert.StartsWith("p=tls-unique,", Encoding.UTF8.GetString(Convert.FromBase64String(start.Groups[2].Value)), StringComparison.Ordinal);
        Assert.Contains("S: A01 NO [AUTHENTICATIONFAILED]", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("Authenticated.", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Imtest_with_scram_sha_256_sends_n_and_logs_in()
    {
        var transcript = await ImtestAsync("SCRAM-SHA-256");

        var start = AuthenticateLine().Match(transcript);
        Assert.True(start.Success, transcript);
        Assert.StartsWith("n,", Encoding.UTF8.GetString(Convert.FromBase64String(start.Groups[2].Value)), StringComparison.Ordinal);
        Assert.Contains("Authenticated.", transcript, StringComparison.Ordinal);
        Assert.Contains("s1 OK", transcript, StringComparison.Ordinal);
    }

    /// <summary>Runs imtest over IMAPS as alice (with <c>-m</c> when <paramref name="mechanism"/> is set), selects INBOX
    /// when it logged in, and returns everything it printed.</summary>
    private async Task<string> ImtestAsync(string? mechanism)
    {
        var info = new ProcessStartInfo(Imtest)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var args = new List<string> { "-s", "-p", server.Port("imap").ToString(CultureInfo.InvariantCulture), "-a", "alice", "-u", "alice", "-w", ScramServer.Password };
        if (mechanism is not null)
        {
            args.AddRange(["-m", mechanism]);
        }

        args.Add("localhost");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var imtest = Process.Start(info)!;
        var errors = imtest.StandardError.ReadToEndAsync();
        var seen = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            // imtest prints "Authenticated." or "Authentication failed." and then waits for commands.
            while (await imtest.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                seen.AppendLine(line);
                if (line.StartsWith("Security strength factor", StringComparison.Ordinal))
                {
                    break;
                }
            }

            await imtest.StandardInput.WriteLineAsync("s1 SELECT INBOX");
            await imtest.StandardInput.WriteLineAsync("s2 LOGOUT");
            imtest.StandardInput.Close();
            seen.Append(await imtest.StandardOutput.ReadToEndAsync(timeout.Token));
            await imtest.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!imtest.HasExited)
            {
                imtest.Kill();
            }
        }

        return seen + await errors;
    }

    [GeneratedRegex(@"C: A01 AUTHENTICATE (\S+) (\S+)")]
    private static partial Regex AuthenticateLine();
}
