using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Rampart.Bench.Delivery.Reporting;

/// <summary>What a reader needs to compare two runs: the machine, the kernel, and the filesystem under the data
/// directory (fsync cost is a property of the filesystem and the device beneath it).</summary>
internal sealed record MachineFacts(
    DateTimeOffset Date,
    string Cpu,
    int Cores,
    string Memory,
    string OperatingSystem,
    string Kernel,
    string Runtime,
    string Filesystem,
    string DataDirectory)
{
    public static MachineFacts Collect(string dataDirectory) => new(
        DateTimeOffset.UtcNow,
        ProcField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Environment.ProcessorCount,
        MemoryTotal(),
        OsRelease() ?? RuntimeInformation.OSDescription,
        ReadFirstLine("/proc/sys/kernel/osrelease") ?? Environment.OSVersion.VersionString,
        RuntimeInformation.FrameworkDescription,
        DescribeFilesystem(dataDirectory),
        dataDirectory);

    public IEnumerable<(string Name, string Value)> Rows()
    {
        yield return ("date (UTC)", Date.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        yield return ("cpu", Cpu);
        yield return ("cores", Cores.ToString(CultureInfo.InvariantCulture));
        yield return ("memory", Memory);
        yield return ("os", OperatingSystem);
        yield return ("kernel", Kernel);
        yield return (".NET", Runtime);
        yield return ("data filesystem", Filesystem);
    }

    private static string MemoryTotal()
    {
        var value = ProcField("/proc/meminfo", "MemTotal");
        if (value is not null && long.TryParse(value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture, out var kib))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{kib / 1024.0 / 1024.0:0.0} GiB");
        }

        return "unknown";
    }

    private static string DescribeFilesystem(string directory)
    {
        // `df -T` names the device and the filesystem type; `stat -f` is the fallback where df lacks -T.
        var df = Run("df", "-T", directory);
        if (df is not null)
        {
            var lines = df.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length >= 2)
            {
                var fields = lines[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 7)
                {
                    return $"{fields[1]} on {fields[0]} (mounted at {fields[^1]})";
                }
            }
        }

        return Run("stat", "-f", "-c", "%T", directory)?.Trim() ?? "unknown";
    }

    private static string? OsRelease()
    {
        if (!File.Exists("/etc/os-release"))
        {
            return null;
        }

        var line = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
        return line?["PRETTY_NAME=".Length..].Trim('"');
    }

    private static string? ProcField(string path, string field)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        var colon = line?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon < 0 ? null : line![(colon + 1)..].Trim();
    }

    private static string? ReadFirstLine(string path) => File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null;

    private static string? Run(string program, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
