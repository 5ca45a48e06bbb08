using System.Diagnostics;

namespace Rampart.Server.Tests.Kerberos;

/// <summary>
/// GSSAPI (RFC 4752) against a real MIT KDC and <c>rampart serve</c> (SECURITY.md A11): alice's ticket logs her into her
/// own mailbox over IMAP and POP3, with Python's gssapi module and with cyrus <c>imtest</c>; a ticket for a service
/// whose key is not in the keytab (a wrong SPN), an authorization identity naming another user, a replayed AP-REQ and a
/// client clock an hour off all get the one generic failure.
/// </summary>
public sealed class GssapiLoginTests(GssapiServerFixture fixture) : IClassFixture<GssapiServerFixture>
{
    private const string Failed = "FAILED [AUTHENTICATIONFAILED] Authentication failed";

    [Fact]
    public async Task Alice_logs_in_over_imap_with_her_ticket_and_selects_her_own_inbox()
    {
        var output = await fixture.ClientAsync("imap", "imap", "localhost");
        // RFC 4752 §3.1: the server offers "no security layer" only, with a maximum size of 0.
        Assert.Contains("OFFER 01000000", output, StringComparison.Ordinal);
        Assert.Contains("AUTH OK", output, StringComparison.Ordinal);
        Assert.Contains("INBOX " + GssapiServerFixture.AliceSubject, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_authorization_identity_may_name_only_the_principals_own_account()
    {
        Assert.Contains("AUTH OK", await fixture.ClientAsync("imap", "imap", "localhost", authzid: "alice"), StringComparison.Ordinal);
        var other = await fixture.ClientAsync("imap", "imap", "localhost", authzid: "bob");
        Assert.Contains(Failed, other, StringComparison.Ordinal);
        Assert.DoesNotContain("AUTH OK", other, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ticket_for_a_service_principal_not_in_the_keytab_fails()
    {
        // imap/otherhost exists in the KDC, so the client gets a ticket; the server has no key to read it.
        var output = await fixture.ClientAsync("imap", "imap", "otherhost");
        Assert.Contains(Failed, output, StringComparison.Ordinal);
        Assert.DoesNotContain("AUTH OK", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replayed_ap_req_fails()
    {
        var token = Path.Combine(fixture.Realm.Directory, "ap-req-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Contains("AUTH OK", await fixture.ClientAsync("imap", "imap", "localhost", extra: "save=" + token), StringComparison.Ordinal);
        Assert.True(new FileInfo(token).Length > 100);

        // The same AP-REQ on a new connection: the acceptor's replay cache has seen its authenticator.
        var replay = await fixture.ClientAsync("imap", "imap", "localhost", extra: "replay=" + token);
        Assert.Contains(Failed, replay, StringComparison.Ordinal);
        Assert.DoesNotContain("AUTH OK", replay, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_clock_outside_the_allowed_skew_fails()
    {
        // The control: the same client under libfaketime with no shift gets in.
        Assert.Contains("AUTH OK", await fixture.ClientAsync("imap", "imap", "localhost", faketime: "+0"), StringComparison.Ordinal);

        // An hour ahead: the authenticator's time is outside the acceptor's 5-minute clock skew.
        var skewed = await fixture.ClientAsync("imap", "imap", "localhost", faketime: "+1h");
        Assert.Contains(Failed, skewed, StringComparison.Ordinal);
        Assert.DoesNotContain("AUTH OK", skewed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alice_logs_in_over_pop3_with_her_ticket_for_pop_localhost()
    {
        // RFC 5034 AUTH, service name "pop" (RFC 4752 §3.1 uses the protocol's registered GSSAPI service name).
        var output = await fixture.ClientAsync("pop3", "pop", "localhost");
        Assert.Contains("OFFER 01000000", output, StringComparison.Ordinal);
        Assert.Contains("AUTH +OK", output, StringComparison.Ordinal);
        Assert.Contains("INBOX " + GssapiServerFixture.AliceSubject, output, StringComparison.Ordinal);

        // A ticket for a service principal the keytab lacks fails on POP3 too, with POP3's generic failure.
        var wrong = await fixture.ClientAsync("pop3", "imap", "otherhost");
        Assert.DoesNotContain("AUTH +OK", wrong, StringComparison.Ordinal);
        Assert.Contains("FAILED b'-ERR", wrong, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Principals_map_by_realm_or_explicitly_and_others_are_refused()
    {
        // robert@RAMPART.TEST is mapped to bob by Security:Gssapi:Principals.
        var robert = await fixture.ClientAsync("imap", "imap", "localhost", cache: await fixture.Realm.KinitAsync("robert", "robert-kerberos-pw"));
        Assert.Contains("INBOX " + GssapiServerFixture.BobSubject, robert, StringComparison.Ordinal);

        // A valid ticket for a principal of the realm without an account, and one with an instance: refused.
        Assert.Contains(Failed, await fixture.ClientAsync("imap", "imap", "localhost", cache: await fixture.Realm.KinitAsync("carol", "carol-kerberos-pw")), StringComparison.Ordinal);
        Assert.Contains(Failed, await fixture.ClientAsync("imap", "imap", "localhost", cache: await fixture.Realm.KinitAsync("alice/admin", "admin-kerberos-pw")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_choosing_a_security_layer_that_was_not_offered_is_refused()
    {
        // 0x02 asks for integrity protection: only "no security layer" (0x01) was offered.
        var output = await fixture.ClientAsync("imap", "imap", "localhost", extra: "layer=02");
        Assert.DoesNotContain("AUTH OK", output, StringComparison.Ordinal);
        Assert.Contains("FAILED", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Imtest_logs_in_with_gssapi_and_selects_alices_inbox()
    {
        var info = new ProcessStartInfo("/usr/lib/cyrus/bin/imtest")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "-s", "-p", fixture.ImapsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-m", "GSSAPI", "-a", "alice", "-u", "alice", "localhost" })
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in fixture.Realm.ClientEnvironment(fixture.AliceCache))
        {
            info.Environment[key] = value;
        }

        using var imtest = Process.Start(info)!;
        var errors = imtest.StandardError.ReadToEndAsync();
        try
        {
            var seen = await ReadUntilAsync(imtest.StandardOutput, "Authenticated.");
            Assert.True(seen.Contains("Authenticated.", StringComparison.Ordinal), seen);
            await imtest.StandardInput.WriteLineAsync(". SELECT INBOX");
            await imtest.StandardInput.FlushAsync();
            seen = await ReadUntilAsync(imtest.StandardOutput, ". OK");
            Assert.Contains("* 1 EXISTS", seen, StringComparison.Ordinal);
            await imtest.StandardInput.WriteLineAsync(". LOGOUT");
            await imtest.StandardInput.FlushAsync();
            imtest.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await imtest.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!imtest.HasExited)
            {
                imtest.Kill();
            }
        }

        _ = await errors;
    }

    /// <summary>Reads lines until one contains <paramref name="marker"/> (or the stream ends); returns all read.</summary>
    private static async Task<string> ReadUntilAsync(StreamReader reader, string marker)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            seen.AppendLine(line);
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                break;
            }
        }

        return seen.ToString();
    }
}
