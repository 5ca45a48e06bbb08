using System.CommandLine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Server.Configuration;
using Rampart.Server.Hosting;
using Rampart.Store;

namespace Rampart.Server.Cli;

/// <summary>What a verb needs from its arguments: the data directory, the configuration, and the store, opened on demand.</summary>
public sealed class VerbContext : IAsyncDisposable
{
    private readonly ParseResult parseResult;
    private readonly GlobalOptions globals;
    private IMailStore? store;

    public VerbContext(ParseResult parseResult, GlobalOptions globals, TextWriter output, TextWriter error, Stream input)
    {
        this.parseResult = parseResult;
        this.globals = globals;
        Output = output;
        Error = error;
        Input = input;
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public Stream Input { get; }

    /// <summary>Reads one line of standard input as UTF-8, without its line ending, byte by byte so that nothing
    /// after it is consumed; at most <paramref name="maxBytes"/>.</summary>
    public string? ReadInputLine(int maxBytes = 4096)
    {
        var bytes = new List<byte>();
        int b;
        while ((b = Input.ReadByte()) >= 0 && b != '\n')
        {
            if (bytes.Count >= maxBytes)
            {
                throw new CliException(ExitCodes.Usage, $"standard input line longer than {maxBytes} bytes");
            }

            bytes.Add((byte)b);
        }

        if (b < 0 && bytes.Count == 0)
        {
            return null;
        }

        if (bytes.Count > 0 && bytes[^1] == '\r')
        {
            bytes.RemoveAt(bytes.Count - 1);
        }

        return new System.Text.UTF8Encoding(false, true).GetString([.. bytes]);
    }

    public string DataPath => parseResult.GetValue(globals.Data) ?? "./data";

    public string? ConfigPath => parseResult.GetValue(globals.Config);

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Loads and validates the configuration.</summary>
    public ServerConfiguration LoadConfiguration(int portOffset = 0)
    {
        try
        {
            return ConfigurationLoader.Load(DataPath, ConfigPath, portOffset);
        }
        catch (ConfigurationException e)
        {
            throw new CliException(ExitCodes.Config, $"invalid configuration:{Environment.NewLine}{e.Message}");
        }
    }

    /// <summary>Opens the data directory; with <paramref name="create"/> it is created when missing.</summary>
    public DataDirectory OpenData(bool create)
    {
        try
        {
            return create ? DataDirectory.OpenOrCreate(DataPath) : DataDirectory.OpenExisting(DataPath);
        }
        catch (DataDirectoryException e)
        {
            throw new CliException(create ? ExitCodes.CannotCreate : ExitCodes.Failure, e.Message);
        }
    }

    /// <summary>Opens the store in the data directory.</summary>
    public async Task<IMailStore> OpenStoreAsync(bool create, CancellationToken cancellationToken)
    {
        if (store is not null)
        {
            return store;
        }

        var data = OpenData(create);
        var configuration = LoadConfiguration();
        try
        {
            store = await StoreFactory.OpenAsync(data, configuration, LoggerFactory, cancellationToken);
        }
        catch (DataDirectoryException e)
        {
            throw new CliException(ExitCodes.TempFail, e.Message);
        }

        return store;
    }

    public async ValueTask DisposeAsync()
    {
        if (store is not null)
        {
            await store.DisposeAsync();
        }
    }
}
