using Microsoft.Extensions.Configuration;
using Rampart.Monitoring;
using Rampart.Server.Configuration;

namespace Rampart.Server.Monitoring;

/// <summary>Binds and checks the <c>Monitoring</c> configuration section.</summary>
public static class MonitoringConfiguration
{
    /// <summary>The section name.</summary>
    public const string Section = "Monitoring";

    /// <summary>Binds <c>Monitoring:*</c> over the defaults.</summary>
    /// <exception cref="ConfigurationException">A value that cannot be used.</exception>
    public static MonitoringOptions Bind(ServerConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new MonitoringOptions();
        try
        {
            configuration.Raw.GetSection(Section).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationException($"invalid Monitoring value: {e.Message}");
        }

        options.Alerts.HostName = configuration.HostName;

        // Not a key: admin alerts reach the account serve creates on first start unless the admin names another.
        options.Alerts.DefaultAdminAccount = Hosting.FirstAccount.Name;
        var problems = new List<string>();
        if (options.Alerts.WebhookUrl is { Length: > 0 } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            problems.Add($"Monitoring:Alerts:WebhookUrl '{url}' is not an http(s) URL");
        }

        if (options.Audit.MaxFileBytes < 64 * 1024)
        {
            problems.Add("Monitoring:Audit:MaxFileBytes must be at least 64 KiB");
        }

        if (options.Audit.FsyncInterval <= TimeSpan.Zero || options.Audit.FsyncInterval > TimeSpan.FromMinutes(5))
        {
            problems.Add("Monitoring:Audit:FsyncInterval must be within 00:00:00.001..00:05:00");
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, problems));
        }

        return options;
    }

    /// <summary><see cref="Bind"/> for <c>serve</c>: an invalid section is a one-line CLI error with the config exit code.</summary>
    public static MonitoringOptions BindForServe(ServerConfiguration configuration)
    {
        try
        {
            return Bind(configuration);
        }
        catch (ConfigurationException e)
        {
            throw new Cli.CliException(Cli.ExitCodes.Config, $"invalid configuration:{Environment.NewLine}{e.Message}");
        }
    }

    /// <summary>Where the audit log lives: <c>DATA/audit</c>.</summary>
    public static string AuditDirectory(string dataDirectory) => Path.Combine(dataDirectory, "audit");

    /// <summary>Where detector state lives: <c>DATA/monitoring</c>.</summary>
    public static string StateDirectory(string dataDirectory) => Path.Combine(dataDirectory, "monitoring");
}
