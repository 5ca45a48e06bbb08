using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rampart.Monitoring.Events;
using Rampart.Smtp.Dkim;
using Rampart.Smtp.Outbound;
using Rampart.Smtp.Queue;
using Rampart.Store;

namespace Rampart.Server.Hosting;

/// <summary>Runs the outbound queue's <see cref="DeliveryWorker"/> for as long as <c>rampart serve</c> runs. DKIM signing
/// is used when an <see cref="IMessageSigner"/> is registered. A delivery that fails a domain's MTA-STS or DANE policy is
/// raised as a <see cref="TlsHandshakeFailed"/> event (protocol <c>smtp</c>, listener <c>outbound</c>), so it reaches the
/// audit log and the metrics like an inbound handshake failure.</summary>
public sealed class OutboundQueueService : BackgroundService
{
    private readonly FileOutboundQueue queue;
    private readonly IMailStore store;
    private readonly OutboundQueueOptions options;
    private readonly ILogger logger;
    private readonly IServiceProvider provider;

    public OutboundQueueService(FileOutboundQueue queue, IMailStore store, OutboundQueueOptions options, ILoggerFactory loggers, IServiceProvider provider)
    {
        this.queue = queue;
        this.store = store;
        this.options = options;
        logger = loggers.CreateLogger("Rampart.Smtp.Queue");
        this.provider = provider;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the start path: the listeners come up while the worker reads the queue.
        await Task.Yield();
        using var worker = new DeliveryWorker(queue, store, options, logger, provider.GetService<IMessageSigner>());
        var events = provider.GetService<ISecurityEvents>();
        if (events is not null)
        {
            worker.TlsPolicyFailed += failure => events.Raise(ToEvent(failure));
        }

        await worker.RunAsync(stoppingToken);
    }

    private static TlsHandshakeFailed ToEvent(TlsPolicyFailure failure) => new()
    {
        Protocol = "smtp",
        Listener = "outbound",
        Reason = $"{(failure.Policy == TlsPolicyKind.Dane ? "dane" : "mta-sts")} {(failure.Enforced ? "enforced" : "testing")}: {failure.Domain} via {failure.Host}: {failure.Reason}",
    };
}
