using System.Globalization;
using System.Text.RegularExpressions;

namespace Rampart.Server.Tests.Security;

/// <summary>The real <c>rampart serve</c> with IMAPS, POP3S and submissions on ephemeral loopback ports, the guard's
/// delays shortened to milliseconds (the tests count failures, they never time them) and the ban list re-read every
/// 200 ms; accounts are made with <c>rampart user add</c> before it starts.</summary>
internal sealed partial class GuardedServer : IAsyncDisposable
{
    /// <summary>Every account's password.</summary>
    public const string Password = "Correct-Horse-Battery-9";

    private readonly RampartProcess process;

    private GuardedServer(RampartProcess process)
    {
        this.process = process;
        Imaps = Port(process.WaitForLine(l => l.Contains("listening imaps", StringComparison.Ordinal)));
        Pop3s = Port(process.WaitForLine(l => l.Contains("listening pop3s", StringComparison.Ordinal)));
        Submissions = Port(process.WaitForLine(l => l.Contains("listening submissions", StringComparison.Ordinal)));
    }

    public int Imaps { get; }

    public int Pop3s { get; }

    public int Submissions { get; }

    /// <param name="data">The data directory.</param>
    /// <param name="settings">Settings as <c>Section:Key</c>, e.g. <c>Security:Guard:BanThreshold</c>.</param>
    /// <param name="users">Accounts to create, each with <see cref="Password"/>.</param>
    public static async Task<GuardedServer> StartAsync(string data, IReadOnlyDictionary<string, string> settings, params string[] users)
    {
        foreach (var user in users)
        {
            var add = await RampartProcess.RunAsync(Password + "\n", "user", "add", user, "--password-stdin", "--data", data);
            Assert.True(add.ExitCode == 0, add.Error + add.Output);
        }

        var environment = new Dictionary<string, string>
        {
            ["RAMPART__HostName"] = "mail.test",
            ["RAMPART__Listeners__imaps__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__pop3s__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Listeners__submissions__Endpoint"] = "127.0.0.1:0",
            ["RAMPART__Security__Guard__FirstDelay"] = "00:00:00.010",
            ["RAMPART__Security__Guard__MaxDelay"] = "00:00:00.050",
            ["RAMPART__Security__Guard__BanReloadInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in settings)
        {
            environment["RAMPART__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = RampartProcess.Start(["serve", "--data", data], environment);
        try
        {
            return new GuardedServer(process);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int Port(string listeningLine) => int.Parse(PortPattern().Match(listeningLine).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@":(\d+)\b")]
    private static partial Regex PortPattern();
}
