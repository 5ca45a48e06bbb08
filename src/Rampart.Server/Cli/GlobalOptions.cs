using System.CommandLine;

namespace Rampart.Server.Cli;

/// <summary>Options every verb takes.</summary>
public sealed class GlobalOptions
{
    /// <summary><c>--data DIR</c>: the data directory (default <c>./data</c>).</summary>
    public Option<string> Data { get; } = new("--data")
    {
        Description = "Data directory: store, blobs, certificate, secrets, audit log",
        DefaultValueFactory = _ => "./data",
        Recursive = true,
        HelpName = "DIR",
    };

    /// <summary><c>--config FILE</c>: the configuration file (default <c>DATA/rampart.json</c> when present).</summary>
    public Option<string?> Config { get; } = new("--config")
    {
        Description = "Configuration file (default: DATA/rampart.json when it exists)",
        Recursive = true,
        HelpName = "FILE",
    };
}
