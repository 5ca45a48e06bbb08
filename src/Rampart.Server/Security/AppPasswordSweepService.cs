using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Rampart.Server.Security;

/// <summary>Every 30 seconds, ends the sessions of app passwords revoked by another process (<c>rampart app-password
/// revoke</c>), so a revoked device is out within 60 s (SECURITY.md F02).</summary>
public sealed class AppPasswordSweepService : BackgroundService
{
    /// <summary>How often the stored lists are compared with the watched app passwords.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly SecurityServices security;
    private readonly ILogger logger;

    public AppPasswordSweepService(SecurityServices security, ILoggerFactory loggerFactory)
    {
        this.security = security;
        logger = loggerFactory.CreateLogger("Rampart.Security");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, security.Time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await security.AppPasswords.Revocations.SweepAsync(security.AppPasswords, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "app password revocation sweep failed; retrying in {Interval}", Interval);
            }
        }
    }
}
