using System.Globalization;
using SharpFuzz;

namespace Rampart.Fuzz;

/// <summary>The harness's commands; each returns the process exit code.</summary>
internal static class Commands
{
    public static int Usage()
    {
        Console.Error.WriteLine("usage: Rampart.Fuzz list | run TARGET | replay TARGET|all PATH...");
        return 2;
    }

    public static int List()
    {
        foreach (var target in FuzzTargets.All)
        {
            Console.WriteLine($"{target.Name,-14} {target.Summary}");
        }

        return 0;
    }

    /// <summary>
    /// Serves afl-fuzz. The out-of-process runner keeps a child process that survives what a catch cannot (stack
    /// overflow, a hang AFL kills): the child is restarted and the input is recorded as a crash or a hang.
    /// </summary>
    public static int Run(string name)
    {
        if (FuzzTargets.Find(name) is not { } target)
        {
            return Unknown(name);
        }

        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        });
        return 0;
    }

    /// <summary>Runs saved inputs in this process: the corpus as a quick regression test, or AFL's findings to see the exception.</summary>
    public static int Replay(string name, IReadOnlyList<string> paths)
    {
        IEnumerable<(IFuzzTarget Target, string File)> work;
        if (string.Equals(name, "all", StringComparison.OrdinalIgnoreCase))
        {
            work = FuzzTargets.All.SelectMany(t => paths.SelectMany(root => Files(Path.Combine(root, t.Name))).Select(f => (t, f)));
        }
        else if (FuzzTargets.Find(name) is { } target)
        {
            work = paths.SelectMany(Files).Select(f => (target, f));
        }
        else
        {
            return Unknown(name);
        }

        int inputs = 0, findings = 0;
        foreach (var (target, file) in work)
        {
            inputs++;
            try
            {
                target.Run(File.ReadAllBytes(file));
            }
#pragma warning disable CA1031 // Every exception a target lets out is a finding to report, whatever its type.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                findings++;
                Console.WriteLine($"FINDING {target.Name} {file}");
                Console.WriteLine($"SIGNATURE {target.Name} {Signature(ex)}");
                Console.WriteLine(ex.ToString());
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replay: {inputs} inputs, {findings} findings"));
        return inputs == 0 ? 3 : findings == 0 ? 0 : 1;
    }

    /// <summary>
    /// What identifies a bug across inputs: the exception type and its message up to the first colon (the harness's
    /// messages put input-specific details after one). run-short.sh uses it to tell known findings from new ones.
    /// </summary>
    private static string Signature(Exception ex)
    {
        var colon = ex.Message.IndexOf(':', StringComparison.Ordinal);
        return ex.GetType().FullName + ": " + (colon < 0 ? ex.Message : ex.Message[..colon]).ReplaceLineEndings(" ");
    }

    private static IEnumerable<string> Files(string path) =>
        File.Exists(path) ? [path]
        : Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith("README", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
        : [];

    private static int Unknown(string name)
    {
        Console.Error.WriteLine($"unknown target '{name}'; see 'list'");
        return 2;
    }
}
