using System.Text;
using Rampart.Server.Cli;

namespace Rampart.Server.Tests.Cli;

/// <summary>Runs the real <c>rampart</c> command tree in-process with captured output and a given standard input.</summary>
public sealed class CliRunner : IDisposable
{
    public CliRunner()
    {
        DataPath = Path.Combine(Path.GetTempPath(), "rampart-cli-" + Guid.NewGuid().ToString("N"));
    }

    public string DataPath { get; }

    public async Task<CliResult> RunWithInputAsync(string stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(stdin));
        var all = args.Concat(new[] { "--data", DataPath }).ToArray();
        var code = await new RampartCli(output, error, input).RunAsync(all);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync(string.Empty, args);

    public void Dispose()
    {
        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}

public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
}
