using System.Diagnostics;

namespace Rampart.Server.Tests.Crash;

/// <summary>Runs the real <c>rampart</c> executable (rampart.dll copied next to the test assembly) under the same
/// dotnet host the tests run on.</summary>
internal static class RampartProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "rampart.dll");

    /// <summary>Starts <c>rampart ARGS</c> with standard input, output and error redirected.</summary>
    public static Process Start(params string[] arguments)
    {
        // The SDK sets DOTNET_HOST_PATH for the processes it launches, the test host among them.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No shared state from the developer's environment (configuration files, a RAMPART_* variable).
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("RAMPART_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(variable);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("could not start " + host);
    }

    /// <summary>Runs a verb to completion, feeding <paramref name="input"/>; returns exit code, output and error.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string input, params string[] arguments)
    {
        using var process = Start(arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
