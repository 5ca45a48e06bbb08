using System.Globalization;
using System.Text.RegularExpressions;

namespace Rampart.Pop3.Tests.Support;

/// <summary>
/// The real <c>rampart serve</c> as a child process with pop3s and the STLS pop3 listener on loopback, and a few
/// accounts seeded with <c>rampart user add</c> and <c>rampart deliver</c>: the server real clients talk to.
/// </summary>
public sealed partial class RampartServer : IAsyncLifetime
{
    public const string Password = "Tr0ub4dor&3-Horse";

    /// <summary>Accounts, one per client test so that no two tests share a maildrop.</summary>
    public static readonly string[] Accounts = ["mailkit", "mailkitdele", "mailkitauth", "poplib", "curl", "fetchkeep", "fetchflush", "pop3test", "together", "retdelete", "retdays", "popoff"];

    private RampartProcess? _process;

    public string Data { get; } = Path.Combine(Path.GetTempPath(), "rampart-pop3-serve-" + Guid.NewGuid().ToString("N")[..12]);

    public int Pop3sPort { get; private set; }

    public int Pop3Port { get; private set; }

    public int ImapsPort { get; private set; }

    /// <summary>A message with a line that starts with a dot and bare LF line ends (the store keeps them).</summary>
    public static string Message(string account, int n) =>
        $"From: sender@example.test\nTo: {account}@example.test\nSubject: message {n} for {account}\nMessage-ID: <{n}.{account}@example.test>\n\nHello {account}, this is message {n}.\n.a line with a leading dot\n..and two\n";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Data);
        foreach (var account in Accounts)
        {
            var (code, _, error) = await RampartProcess.RunAsync(Password + "\n", "user", "add", account, "--password-stdin", "--data", Data);
            Assert.True(code == 0, $"user add {account}: {error}");
            for (var n = 1; n <= 3; n++)
            {
                await DeliverAsync(account, Message(account, n));
            }
        }

        _process = RampartProcess.Start(["serve", "--data", Data], new Dictionary<string, string>
        {
            ["RAMPART__Listeners__imaps__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__pop3s__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__pop3__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__pop3__Enabled"] = "true",
            ["RAMPART__Listeners__submissions__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__HostName"] = "localhost",
        });
        ImapsPort = Port(_process.WaitForLine(l => l.Contains("listening imaps", StringComparison.Ordinal)));
        Pop3sPort = Port(_process.WaitForLine(l => l.Contains("listening pop3s", StringComparison.Ordinal)));
        Pop3Port = Port(_process.WaitForLine(l => l.Contains("listening pop3 ", StringComparison.Ordinal)));
    }

    public async Task DeliverAsync(string account, string message)
    {
        var (code, _, error) = await RampartProcess.RunAsync(message, "deliver", "--to", account, "--data", Data);
        Assert.True(code == 0, $"deliver to {account}: {error}");
    }

    /// <summary>Runs a <c>rampart</c> verb against this server's data directory (while it serves).</summary>
    public async Task<string> CliAsync(string input, params string[] args)
    {
        var (code, output, error) = await RampartProcess.RunAsync(input, [.. args, "--data", Data]);
        Assert.True(code == 0, $"rampart {string.Join(' ', args)}: exit {code}: {error}");
        return output;
    }

    public string ServerErrors => _process?.Errors ?? "";

    public Task DisposeAsync()
    {
        _process?.Dispose();
        try
        {
            Directory.Delete(Data, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    private static int Port(string line) => int.Parse(PortPattern().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@":(\d+)\s*$")]
    private static partial Regex PortPattern();
}

[CollectionDefinition(Name)]
public sealed class RampartServerCollection : ICollectionFixture<RampartServer>
{
    public const string Name = "rampart serve";
}
