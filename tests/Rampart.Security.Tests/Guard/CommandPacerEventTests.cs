using Microsoft.Extensions.Time.Testing;
using Rampart.Security.Guard;

namespace Rampart.Security.Tests.Guard;

/// <summary>Issue 7: a command flood is one <c>command-rate</c> limit event per session, raised at the first paced
/// command, not one per command.</summary>
public class CommandPacerEventTests
{
    [Fact]
    public void The_first_paced_command_is_reported_once_per_session()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var reported = 0;
        var pacer = new CommandPacer(burst: 3, perSecond: 1, time) { FirstPaced = () => reported++ };

        for (var i = 0; i < 3; i++)
        {
            Assert.True(pacer.PaceAsync(default).IsCompleted);
        }

        Assert.Equal(0, reported);
        // Tokens go negative, so each further command waits longer; all are paced, one report.
        var waiting = Enumerable.Range(0, 5).Select(_ => pacer.PaceAsync(default)).ToList();
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        Assert.Equal(5, pacer.Paced);
        Assert.Equal(1, reported);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.All(waiting, w => Assert.True(w.IsCompleted));

        // After the flood the bucket refills; a second flood in the same session is not reported again.
        for (var i = 0; i < 6; i++)
        {
            _ = pacer.PaceAsync(default);
        }

        Assert.Equal(1, reported);
    }
}
