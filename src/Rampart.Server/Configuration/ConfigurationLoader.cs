using System.Net;
using Microsoft.Extensions.Configuration;
using Rampart.Net.Options;

namespace Rampart.Server.Configuration;

/// <summary>Reads the configuration: the JSON file, then <c>RAMPART__</c> environment variables, then validates it
/// into a <see cref="ServerConfiguration"/> or fails with every problem listed.</summary>
public static class ConfigurationLoader
{
    /// <summary>The configuration file's name inside the data directory.</summary>
    public const string FileName = "rampart.json";

    /// <summary>The environment prefix: <c>RAMPART__Listeners__imaps__Endpoint=127.0.0.1:10993</c>.</summary>
    public const string EnvironmentPrefix = "RAMPART__";

    /// <summary>Loads and validates. <paramref name="configFile"/> must exist when given; otherwise
    /// <c>DATA/rampart.json</c> is read if present.</summary>
    /// <exception cref="ConfigurationException">The file is missing or unreadable, or a value is invalid.</exception>
    public static ServerConfiguration Load(string dataDirectory, string? configFile, int portOffset)
    {
        var builder = new ConfigurationBuilder();
        string? source = null;
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                throw new ConfigurationException($"configuration file {full} does not exist");
            }

            source = full;
        }
        else
        {
            var inData = Path.Combine(dataDirectory, FileName);
            if (File.Exists(inData))
            {
                source = Path.GetFullPath(inData);
            }
        }

        if (source is not null)
        {
            builder.AddJsonFile(source, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"cannot read configuration {source}: {e.InnerException?.Message ?? e.Message}");
        }

        var options = new RampartOptions();
        try
        {
            root.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationException($"invalid configuration value: {e.Message}");
        }

        return Validate(options, root, source, portOffset);
    }

    private static ServerConfiguration Validate(RampartOptions options, IConfiguration root, string? source, int portOffset)
    {
        var problems = new List<string>();
        if (portOffset is < 0 or > 60000)
        {
            problems.Add($"--port-offset {portOffset} is outside 0..60000");
        }

        foreach (var name in options.Listeners.Keys)
        {
            if (ListenerCatalog.Find(name) is null)
            {
                problems.Add($"Listeners:{name}: unknown listener (known: {string.Join(", ", ListenerCatalog.All.Select(l => l.Name))})");
            }
        }

        var listeners = new List<ResolvedListener>();
        foreach (var definition in ListenerCatalog.All)
        {
            options.Listeners.TryGetValue(definition.Name, out var settings);
            var endpointText = settings is { Endpoint.Length: > 0 } ? settings.Endpoint : null;
            IPEndPoint? endpoint;
            // Port 0 (a free port chosen by the system) is for tests and is never a clash.
            if (endpointText is null)
            {
                endpoint = new IPEndPoint(IPAddress.Parse(definition.DefaultAddress), Math.Min(definition.DefaultPort + portOffset, 65535));
            }
            else
            {
                try
                {
                    endpoint = ListenerOptions.ParseEndpoint(endpointText);
                }
                catch (FormatException e)
                {
                    problems.Add($"Listeners:{definition.Name}:Endpoint: {e.Message}");
                    continue;
                }
            }

            var enabledText = root[$"Listeners:{definition.Name}:Enabled"];
            var enabled = enabledText is null ? definition.Enabled : settings!.Enabled;
            var security = root[$"Listeners:{definition.Name}:Tls"] is null ? definition.DefaultSecurity : settings!.Tls;
            if (security != definition.DefaultSecurity && !IsAllowedSecurity(definition, security))
            {
                problems.Add($"Listeners:{definition.Name}:Tls {security} is not allowed for {definition.Name} (it is {definition.DefaultSecurity})");
            }

            listeners.Add(new ResolvedListener(definition, endpoint, enabled, security));
        }

        foreach (var clash in listeners.Where(l => l.Enabled && l.EndPoint.Port != 0).GroupBy(l => l.EndPoint).Where(g => g.Count() > 1))
        {
            problems.Add($"listeners {string.Join(" and ", clash.Select(l => l.Name))} both use {clash.Key}");
        }

        var tls = options.Tls;
        if ((tls.CertificatePath is null) != (tls.KeyPath is null))
        {
            problems.Add("Tls:CertificatePath and Tls:KeyPath must be set together");
        }

        foreach (var path in new[] { tls.CertificatePath, tls.KeyPath }.OfType<string>())
        {
            if (!File.Exists(path))
            {
                problems.Add($"TLS file {path} does not exist");
            }
        }

        if (tls.HandshakeTimeout < TimeSpan.FromSeconds(1) || tls.HandshakeTimeout > TimeSpan.FromMinutes(5))
        {
            problems.Add($"Tls:HandshakeTimeout {tls.HandshakeTimeout} is outside 00:00:01..00:05:00");
        }

        if (options.Store.MaxMessageSize is < 1024 or > 2L * 1024 * 1024 * 1024)
        {
            problems.Add($"Store:MaxMessageSize {options.Store.MaxMessageSize} is outside 1 KiB..2 GiB");
        }

        if (!Rampart.Store.Quota.QuotaSize.TryParse(options.Store.Quota.Storage, out _))
        {
            problems.Add($"Store:Quota:Storage '{options.Store.Quota.Storage}' is not a size: KiB, or with K/M/G/T (500M), or unlimited");
        }

        if (options.Store.Quota.Messages is < 0)
        {
            problems.Add($"Store:Quota:Messages {options.Store.Quota.Messages} is negative");
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, problems));
        }

        var hostName = string.IsNullOrWhiteSpace(options.HostName) ? Dns.GetHostName() : options.HostName.Trim();
        return new ServerConfiguration(options, listeners, hostName, source, root);
    }

    // Any listener may use TLS either way; only those that are plaintext by design (LMTP on loopback) may stay
    // without it, so a configuration cannot turn IMAP or POP3 into cleartext.
    private static bool IsAllowedSecurity(ListenerDefinition definition, TlsMode security) =>
        security != TlsMode.None || definition.DefaultSecurity == TlsMode.None;
}

/// <summary>A validated configuration.</summary>
/// <param name="Options">The bound options.</param>
/// <param name="Listeners">Every known listener, resolved.</param>
/// <param name="HostName">The host name for greetings and certificates.</param>
/// <param name="Source">The file read, or null when only defaults and environment were used.</param>
/// <param name="Raw">The raw configuration for sections other projects bind themselves.</param>
public sealed record ServerConfiguration(RampartOptions Options, IReadOnlyList<ResolvedListener> Listeners, string HostName, string? Source, IConfiguration Raw);

/// <summary>An invalid or unreadable configuration; the message lists every problem, one per line.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException()
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
