using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Rampart.Testing;

/// <summary>The real <c>rampart</c> executable (rampart.dll next to the test assembly) run as a child process,
/// with its standard output collected line by line.</summary>
public sealed class RampartProcess : IDisposable
{
    private readonly Process process;
    private readonly BlockingCollection<string> lines = new();
    private readonly StringBuilder all = new();
    private readonly StringBuilder errors = new();

    private RampartProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                lines.CompleteAdding();
                return;
            }

            lock (all)
            {
                all.AppendLine(e.Data);
            }

            lines.Add(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "rampart.dll");

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public string Output
    {
        get
        {
            lock (all)
            {
                return all.ToString();
            }
        }
    }

    public string Errors
    {
        get
        {
            lock (errors)
            {
                return errors.ToString();
            }
        }
    }

    /// <summary>Starts <c>rampart ARGS</c> with standard input, output and error redirected, under the dotnet host
    /// the tests run on, and without RAMPART_* variables from the developer's environment (only those given).</summary>
    public static Process StartRaw(IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        // The SDK sets DOTNET_HOST_PATH for the processes it launches, the test host among them.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var variable in info.Environment.Keys.Where(k => k.StartsWith("RAMPART_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(variable);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start " + host);
    }

    /// <summary>Starts a long-running verb (serve) and collects its output line by line.</summary>
    public static RampartProcess Start(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? stdin = null)
    {
        var process = StartRaw(args, environment);
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        return new RampartProcess(process);
    }

    /// <summary>Runs a verb to completion, feeding <paramref name="input"/>; returns exit code, output and error.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string input, params string[] args)
    {
        using var process = StartRaw(args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Waits for an output line matching <paramref name="predicate"/>; fails with everything seen so far.</summary>
    public string WaitForLine(Func<string, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (lines.TryTake(out var line, TimeSpan.FromMilliseconds(200)))
            {
                if (predicate(line))
                {
                    return line;
                }
            }
            else if (lines.IsCompleted)
            {
                break;
            }
        }

        throw new TimeoutException($"no matching line; stdout:\n{Output}\nstderr:\n{Errors}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    /// <summary>Sends a POSIX signal (TERM, INT) the way an init system or Ctrl-C would.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", $"-{name} {process.Id}");
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
        lines.Dispose();
    }
}
