namespace Rampart.Monitoring.Audit;

/// <summary>Audit log settings (configuration section <c>Monitoring:Audit</c>).</summary>
public sealed class AuditOptions
{
    /// <summary>Whether events are written at all. Default true: SECURITY.md requires an audit trail.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Size at which <c>audit.log</c> is rotated. Default 64 MiB: a day of a busy server, small enough to
    /// read with ordinary tools.</summary>
    public long MaxFileBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Age at which <c>audit.log</c> is rotated even when small. Default 1 day, so files map to days.</summary>
    public TimeSpan MaxFileAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Lines per second written for one (event kind, client IP) pair before further ones are only counted.
    /// Default 20: enough to see every attempt of a person, while a flood of failures from one address becomes one
    /// summary line per second with the suppressed count (SECURITY.md L03).</summary>
    public int MaxLinesPerSecondPerSource { get; set; } = 20;

    /// <summary>How often written lines are forced to disk. Default 1 s: the hot path never waits for fsync, and a
    /// crash loses at most this much of the trail.</summary>
    public TimeSpan FsyncInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Events queued for the writer before new ones are dropped (and counted in an <c>audit.dropped</c>
    /// line). Default 65 536: minutes of a flood, a few MB of memory.</summary>
    public int QueueCapacity { get; set; } = 65536;

    /// <summary>Longest text field written, in characters; longer hostile input is cut. Default 256: longer than
    /// any real user name or reason, short enough that a line stays small.</summary>
    public int MaxFieldLength { get; set; } = 256;
}
