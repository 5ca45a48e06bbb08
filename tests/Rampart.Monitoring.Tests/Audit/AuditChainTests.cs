using System.Net;
using System.Text;
using Rampart.Monitoring.Audit;
using Rampart.Monitoring.Events;

namespace Rampart.Monitoring.Tests.Audit;

public sealed class AuditChainTests
{
    private static async Task WriteAsync(string directory, int count, AuditOptions? options = null, int start = 0)
    {
        await using var log = new AuditLog(directory, options);
        log.Start();
        for (var i = start; i < start + count; i++)
        {
            // Distinct addresses: the flood limit must not thin this trail out.
            log.Raise(new AuthenticationFailed { ClientIp = new IPAddress([10, 0, (byte)(i / 250), (byte)(i % 250)]), User = "user" + i, Reason = "bad-credentials" });
        }

        await log.FlushAsync();
    }

    [Fact]
    public async Task An_intact_log_verifies()
    {
        using var dir = new TempDirectory();
        await WriteAsync(dir.Path, 50);
        var result = AuditVerifier.Verify(dir.Path);
        Assert.True(result.Intact, result.Message);
        Assert.Equal(50, result.Lines);
        Assert.Equal(50, result.LastSeq);
    }

    [Fact]
    public async Task An_edited_line_is_named()
    {
        using var dir = new TempDirectory();
        await WriteAsync(dir.Path, 10);
        var file = Path.Combine(dir.Path, AuditChain.CurrentFileName);
        var lines = File.ReadAllLines(file);
        lines[3] = lines[3].Replace("user3", "userX", StringComparison.Ordinal);
        File.WriteAllText(file, string.Join('\n', lines) + "\n");
        var result = AuditVerifier.Verify(dir.Path);
        Assert.False(result.Intact);
        Assert.Equal("audit.log:5", result.FirstBad);
    }

    [Fact]
    public async Task A_deleted_line_is_named()
    {
        using var dir = new TempDirectory();
        await WriteAsync(dir.Path, 10);
        var file = Path.Combine(dir.Path, AuditChain.CurrentFileName);
        var lines = File.ReadAllLines(file).ToList();
        lines.RemoveAt(6);
        File.WriteAllText(file, string.Join('\n', lines) + "\n");
        var result = AuditVerifier.Verify(dir.Path);
        Assert.False(result.Intact);
        Assert.Equal("audit.log:7", result.FirstBad);
        Assert.Contains("expected seq 7", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cutting_the_tail_or_editing_the_last_line_is_caught_by_the_head()
    {
        using var dir = new TempDirectory();
        await WriteAsync(dir.Path, 10);
        var file = Path.Combine(dir.Path, AuditChain.CurrentFileName);
        var original = File.ReadAllLines(file);
        File.WriteAllText(file, string.Join('\n', original[..8]) + "\n");
        Assert.Contains("cut from the end", AuditVerifier.Verify(dir.Path).Message, StringComparison.Ordinal);

        original[9] = original[9].Replace("user9", "userZ", StringComparison.Ordinal);
        File.WriteAllText(file, string.Join('\n', original) + "\n");
        Assert.False(AuditVerifier.Verify(dir.Path).Intact);
    }

    [Fact]
    public async Task Rotation_keeps_one_chain_across_files_and_restarts()
    {
        using var dir = new TempDirectory();
        var options = new AuditOptions { MaxFileBytes = 4096 };
        await WriteAsync(dir.Path, 120, options);
        await WriteAsync(dir.Path, 80, options, start: 120);
        var files = AuditChain.FilesInOrder(dir.Path);
        Assert.True(files.Count > 5, $"{files.Count} files");
        Assert.All(files, f => Assert.True(new FileInfo(f).Length <= 4096));
        var result = AuditVerifier.Verify(dir.Path);
        Assert.True(result.Intact, result.FirstBad + " " + result.Message);
        Assert.Equal(200, result.LastSeq);

        // Deleting a whole middle file breaks the chain at the next file's first line.
        File.Delete(files[2]);
        var broken = AuditVerifier.Verify(dir.Path);
        Assert.False(broken.Intact);
        Assert.Equal(Path.GetFileName(files[3]) + ":1", broken.FirstBad);
    }

    [Fact]
    public async Task Rotation_by_age()
    {
        using var dir = new TempDirectory();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using (var log = new AuditLog(dir.Path, new AuditOptions { MaxFileAge = TimeSpan.FromHours(1) }, clock))
        {
            log.Start();
            log.Raise(new AdminAction { Action = "a" });
            await log.FlushAsync();
            clock.Advance(TimeSpan.FromHours(2));
            log.Raise(new AdminAction { Action = "b" });
            await log.FlushAsync();
        }

        Assert.Equal(2, AuditChain.FilesInOrder(dir.Path).Count);
        Assert.True(AuditVerifier.Verify(dir.Path).Intact);
    }

    [Fact]
    public async Task A_torn_last_line_is_cut_and_recorded_on_restart()
    {
        using var dir = new TempDirectory();
        await WriteAsync(dir.Path, 5);
        var file = Path.Combine(dir.Path, AuditChain.CurrentFileName);
        File.AppendAllText(file, "{\"seq\":6,\"time\":\"2025-");
        Assert.False(AuditVerifier.Verify(dir.Path).Intact);
        await WriteAsync(dir.Path, 1, start: 5);
        var result = AuditVerifier.Verify(dir.Path);
        Assert.True(result.Intact, result.Message);
        Assert.Contains("audit.recovered", File.ReadAllText(file), StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_is_not_a_valid_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(Path.Combine(dir.Path, AuditChain.CurrentFileName), Encoding.UTF8.GetBytes("hello\n"));
        var result = AuditVerifier.Verify(dir.Path);
        Assert.False(result.Intact);
        Assert.Equal("audit.log:1", result.FirstBad);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset now = now;

        public void Advance(TimeSpan by) => now += by;

        public override DateTimeOffset GetUtcNow() => now;
    }
}
