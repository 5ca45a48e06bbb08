using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rampart.Monitoring;
using Rampart.Monitoring.Alerts;
using Rampart.Monitoring.Events;
using Rampart.Net.Tls;
using Rampart.Server.Configuration;
using Rampart.Server.Hosting;
using Rampart.Store;

namespace Rampart.Server.Monitoring;

/// <summary>
/// Runs monitoring inside <c>rampart serve</c>: starts the audit writer and alert loop, adds the configured alert
/// sinks, registers <c>/metrics</c> as the admin listener's handler, opens the control socket, saves detector state
/// every minute and at shutdown. Registered before the listeners so that all of this is in place when the first
/// connection arrives.
/// </summary>
public sealed class MonitoringService : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan SaveInterval = TimeSpan.FromMinutes(1);
    private readonly SecurityMonitor monitor;
    private readonly MonitoringOptions options;
    private readonly DataDirectory data;
    private readonly IMailStore store;
    private readonly ProtocolHandlers handlers;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;
    private readonly StoreSizeGauge storeSize;
    private readonly CertificateStore? certificates;
    private ControlChannel? control;
    private WebhookAlertSink? webhook;
    private Timer? saver;

    public MonitoringService(SecurityMonitor monitor, MonitoringOptions options, DataDirectory data, IMailStore store, ProtocolHandlers handlers, ILoggerFactory loggerFactory, CertificateStore? certificates = null)
    {
        this.certificates = certificates;
        this.monitor = monitor;
        this.options = options;
        this.data = data;
        this.store = store;
        this.handlers = handlers;
        this.loggerFactory = loggerFactory;
        logger = loggerFactory.CreateLogger("Rampart.Monitoring");
        storeSize = new StoreSizeGauge(data.Path);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Alerts.WebhookUrl is { Length: > 0 })
        {
            webhook = new WebhookAlertSink(options.Alerts);
            monitor.Alerts.AddSink(webhook);
        }

        if (options.Alerts.AdminAccount is { Length: > 0 } || options.Alerts.DefaultAdminAccount is { Length: > 0 } || options.Alerts.NotifyUsers)
        {
            monitor.Alerts.AddSink(new MailAlertSink(new StoreAlertMailbox(store), options.Alerts));
        }

        monitor.Metrics.Registry.Gauge("rampart_store_bytes", "Bytes used by the data directory (store, blobs, audit), sampled at most once a minute.", storeSize.Read);
        handlers.Register("admin", new MetricsHttpHandler(monitor.Metrics.Registry));
        monitor.Start();
        monitor.Events.Raise(new ConfigurationChanged { Protocol = "server", Setting = "startup", Reason = "configuration loaded" });
        if (certificates is not null)
        {
            // SECURITY.md L03: a certificate swapped under a running server is a configuration change.
            certificates.Reloaded += OnCertificatesReloaded;
        }

        if (!OperatingSystem.IsWindows())
        {
            control = new ControlChannel(data.Path, monitor, loggerFactory.CreateLogger("Rampart.Control"));
            try
            {
                control.Start();
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
            {
                // Serving mail matters more than the admin channel: report and go on without it.
                logger.LogError("control socket unavailable, `rampart sessions` will not work: {Message}", e.Message);
                control = null;
            }
        }

        saver = new Timer(_ => SaveState(), null, SaveInterval, SaveInterval);
        return Task.CompletedTask;
    }

    private void OnCertificatesReloaded(object? sender, EventArgs e) =>
        monitor.Events.Raise(new ConfigurationChanged { Protocol = "server", Setting = "Tls:Certificates", Reason = "certificates reloaded from their PEM files" });

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (certificates is not null)
        {
            certificates.Reloaded -= OnCertificatesReloaded;
        }

        if (saver is not null)
        {
            await saver.DisposeAsync();
            saver = null;
        }

        if (control is not null)
        {
            await control.DisposeAsync();
            control = null;
        }

        try
        {
            await monitor.Alerts.DrainAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Alerts still queued are in the audit log already; shutting down wins.
        }

        if (monitor.AuditLog is { } audit)
        {
            await audit.FlushAsync(cancellationToken);
        }

        SaveState();
    }

    /// <summary>Closes what this service opened; the monitor itself belongs to the host's container.</summary>
    public async ValueTask DisposeAsync()
    {
        if (control is not null)
        {
            await control.DisposeAsync();
            control = null;
        }

        webhook?.Dispose();
    }

    private void SaveState()
    {
        try
        {
            monitor.SaveState();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError("cannot save monitoring state: {Message}", e.Message);
        }
    }

    /// <summary>The data directory's size, walked at most once a minute so a scrape stays cheap.</summary>
    private sealed class StoreSizeGauge(string path)
    {
        private long bytes;
        private DateTime sampled = DateTime.MinValue;

        public double Read()
        {
            lock (this)
            {
                if (DateTime.UtcNow - sampled > TimeSpan.FromMinutes(1))
                {
                    bytes = new DirectoryInfo(path).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }).Sum(f => f.Length);
                    sampled = DateTime.UtcNow;
                }

                return bytes;
            }
        }
    }
}
