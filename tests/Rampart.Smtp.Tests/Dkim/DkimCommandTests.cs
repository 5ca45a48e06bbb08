using System.Text.RegularExpressions;
using Rampart.Server.Cli;
using Rampart.Smtp.Dkim;

namespace Rampart.Smtp.Tests.Dkim;

/// <summary><c>rampart dkim create|list</c> run in-process on a temporary data directory.</summary>
public sealed class DkimCommandTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("rampart-dkimcli-").FullName;

    public void Dispose() => Directory.Delete(data, recursive: true);

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await new RampartCli(output, error, new MemoryStream()).RunAsync(["--data", data, .. args]);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Create_prints_a_record_whose_key_is_the_stored_one_and_refuses_to_overwrite()
    {
        var (code, output, error) = await RunAsync("dkim", "create", "example.com", "--selector", "s1");
        Assert.True(code == 0, error);
        var match = Regex.Match(output, "^s1\\._domainkey\\.example\\.com\\. IN TXT (\"[^\"]*\" ?)+$", RegexOptions.Multiline);
        Assert.True(match.Success, output);
        var record = string.Concat(match.Value[(match.Value.IndexOf('"', StringComparison.Ordinal))..].Split('"', StringSplitOptions.RemoveEmptyEntries).Where(p => p != " "));
        Assert.StartsWith("v=DKIM1; k=rsa; p=", record, StringComparison.Ordinal);

        var stored = new DkimKeyring(data).Find("example.com")!;
        Assert.Equal(stored.PublicKey, record["v=DKIM1; k=rsa; p=".Length..]);
        var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(stored.PublicKey), out _);
        Assert.Equal(2048, rsa.KeySize);

        var again = await RunAsync("dkim", "create", "example.com", "--selector", "s1");
        Assert.NotEqual(0, again.Code);
        Assert.Contains("--force", again.Error, StringComparison.Ordinal);
        Assert.Equal(stored.PublicKey, new DkimKeyring(data).Find("example.com")!.PublicKey);

        var forced = await RunAsync("dkim", "create", "example.com", "--selector", "s1", "--force");
        Assert.Equal(0, forced.Code);
        Assert.NotEqual(stored.PublicKey, new DkimKeyring(data).Find("example.com")!.PublicKey);

        Assert.Equal(0, (await RunAsync("dkim", "create", "example.com", "--selector", "ed", "--algorithm", "ed25519")).Code);
        var list = await RunAsync("dkim", "list");
        Assert.Contains("s1._domainkey.example.com rsa ", list.Output, StringComparison.Ordinal);
        Assert.Matches("ed._domainkey.example.com ed25519 (signing|standby) \"v=DKIM1; k=ed25519; p=", list.Output);

        Assert.NotEqual(0, (await RunAsync("dkim", "create", "../../etc")).Code);
    }
}
