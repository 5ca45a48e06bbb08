using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rampart.Smtp.Dkim;
using Rampart.Smtp.Queue;
using Rampart.Store;

namespace Rampart.Server.Hosting;

/// <summary>Runs the outbound queue's <see cref="DeliveryWorker"/> for as long as <c>rampart serve</c> runs. DKIM signing
/// is used when an <see cref="IMessageSigner"/> is registered.</summary>
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
        await worker.RunAsync(stoppingToken);
    }
}
