using System.Diagnostics;

namespace Rampart.Net.Tests.TestSupport;

/// <summary>Runs <c>openssl s_client</c> against the test server, for handshakes .NET's client will not attempt.</summary>
public static class OpenSslClient
{
    public static bool IsAvailable => File.Exists("/usr/bin/openssl");

    /// <summary>Runs s_client with the given arguments; returns (exit code, stdout+stderr).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(int port, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("s_client");
        start.ArgumentList.Add("-connect");
        start.ArgumentList.Add($"127.0.0.1:{port}");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Whether s_client reports an established session (a real cipher, not "(NONE)").</summary>
    public static bool Negotiated(string output) =>
        output.Contains("Cipher is ", StringComparison.Ordinal) && !output.Contains("Cipher is (NONE)", StringComparison.Ordinal);
}
