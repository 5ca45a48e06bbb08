using System.Diagnostics;

namespace Rampart.Imap.Tests.Clients;

/// <summary>Runs a command-line client to completion with a time bound, killing it (and its children) when the
/// bound passes so that a hung client fails its test instead of the run.</summary>
public static class ClientProcess
{
    /// <summary>How long one client run may take; generous for a 2-core machine, far below the test run's budget.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Fails the test with an install hint when <paramref name="path"/> is not an executable file.</summary>
    public static void Require(string path, string package)
    {
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} is not installed (apt-get install -y {package})");
        }
    }

    public static async Task<(int Code, string Output, string Error)> RunAsync(
        string file, IEnumerable<string> args, string? stdin = null, Dictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? [])
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + file);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{file} did not finish within {Timeout.TotalSeconds} s\n{await output}\n{await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
