using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Monitoring.Events;

namespace Rampart.Monitoring.Audit;

/// <summary>
/// The audit log: JSON lines in <c>DATA/audit/audit.log</c>, hash-chained (see <see cref="AuditChain"/>), rotated by
/// size and age, rate-limited per source under a flood. <see cref="Raise"/> only enqueues; one background writer
/// formats, writes and fsyncs every <see cref="AuditOptions.FsyncInterval"/>, so the accept and login paths never
/// wait for the disk.
/// </summary>
public sealed class AuditLog : ISecurityEvents, IAsyncDisposable
{
    private readonly string directory;
    private readonly AuditOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Channel<Item> queue;
    private readonly AuditLineFormatter formatter;
    private readonly AuditRateLimiter limiter;
    private Task? writerTask;
    private FileStream? file;
    private long seq;
    private string prev = AuditChain.Genesis;
    private long fileFirstSeq;
    private DateTimeOffset fileStarted;
    private long dropped;
    private bool dirty;
    private DateTimeOffset lastSync;

    public AuditLog(string directory, AuditOptions? options = null, TimeProvider? time = null, ILogger<AuditLog>? logger = null)
    {
        this.directory = Path.GetFullPath(directory);
        this.options = options ?? new AuditOptions();
        this.time = time ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<AuditLog>.Instance;
        formatter = new AuditLineFormatter(new SecretScrubber(this.options.MaxFieldLength));
        limiter = new AuditRateLimiter(this.options.MaxLinesPerSecondPerSource);
        queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(Math.Max(16, this.options.QueueCapacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropWrite,
        }, _ => Interlocked.Increment(ref dropped));
    }

    /// <summary>The directory holding the audit files.</summary>
    public string Directory => directory;

    /// <summary>Opens (or creates) the log, recovers from a torn last line, and starts the writer.</summary>
    public void Start()
    {
        if (writerTask is not null)
        {
            return;
        }

        OpenCurrentFile();
        writerTask = Task.Run(WriteLoopAsync);
    }

    public bool IsEnabled => true;

    public void Raise(SecurityEvent securityEvent)
    {
        ArgumentNullException.ThrowIfNull(securityEvent);
        if (SecurityEventKinds.IsAudited(securityEvent.Kind) && !queue.Writer.TryWrite(new Item(securityEvent, null)))
        {
            // Counted by the channel's drop callback when full; after disposal, nothing is written any more.
        }
    }

    /// <summary>Waits until every event raised before the call is written and forced to disk.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await queue.Writer.WriteAsync(new Item(null, done), cancellationToken);
        await done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        if (writerTask is not null)
        {
            await writerTask;
        }

        if (file is not null)
        {
            await file.DisposeAsync();
            file = null;
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = queue.Reader;
        while (true)
        {
            while (reader.TryRead(out var item))
            {
                Process(item);
            }

            var now = time.GetUtcNow();
            foreach (var suppression in limiter.Sweep(now))
            {
                WriteSuppression(suppression);
            }

            if (dirty && now - lastSync >= options.FsyncInterval)
            {
                Sync();
            }

            using var wait = new CancellationTokenSource(options.FsyncInterval);
            try
            {
                if (!await reader.WaitToReadAsync(wait.Token))
                {
                    break;
                }
            }
            catch (OperationCanceledException) when (wait.IsCancellationRequested)
            {
                // Woke up to fsync and close rate-limit windows.
            }
        }

        foreach (var suppression in limiter.Sweep(DateTimeOffset.MaxValue))
        {
            WriteSuppression(suppression);
        }

        WriteDropped();
        Sync();
    }

    private void Process(Item item)
    {
        try
        {
            if (item.Flushed is { } flushed)
            {
                WriteDropped();
                Sync();
                flushed.TrySetResult();
                return;
            }

            var e = item.Event!;
            if (!limiter.Admit(e, out var closed))
            {
                return;
            }

            if (closed is not null)
            {
                WriteSuppression(closed);
            }

            WriteDropped();
            var next = seq + 1;
            Append(formatter.Format(e, next, prev));
        }
        catch (IOException ex)
        {
            // A full or failing disk must not take the server down; the operator sees it in the server log.
            logger.LogError(ex, "audit log write failed in {Directory}", directory);
            item.Flushed?.TrySetException(ex);
        }
    }

    private void WriteSuppression(AuditRateLimiter.Suppression s) =>
        Append(formatter.Format(seq + 1, time.GetUtcNow(), "audit.suppressed", "suppressed", prev, writer =>
        {
            writer.WriteString("suppressedKind", SecurityEventKinds.Name(s.Kind));
            writer.WriteString("ip", s.Ip.ToString());
            writer.WriteString("since", AuditLineFormatter.FormatTime(s.Since));
            writer.WriteNumber("count", s.Count);
        }));

    private void WriteDropped()
    {
        var count = Interlocked.Exchange(ref dropped, 0);
        if (count > 0)
        {
            Append(formatter.Format(seq + 1, time.GetUtcNow(), "audit.dropped", "dropped", prev, writer => writer.WriteNumber("count", count)));
        }
    }

    private void Append(ReadOnlyMemory<byte> line)
    {
        RotateIfDue(line.Length);
        var stream = file!;
        stream.Write(line.Span);
        stream.WriteByte((byte)'\n');
        seq++;
        prev = AuditChain.Hash(line.Span);
        dirty = true;
    }

    private void Sync()
    {
        if (file is null || !dirty)
        {
            return;
        }

        file.Flush(flushToDisk: true);
        dirty = false;
        lastSync = time.GetUtcNow();
        File.WriteAllText(Path.Combine(directory, AuditChain.HeadFileName), string.Create(CultureInfo.InvariantCulture, $"{seq} {prev}\n"));
    }

    private void RotateIfDue(int nextLength)
    {
        var stream = file!;
        if (stream.Length == 0)
        {
            fileFirstSeq = seq + 1;
            fileStarted = time.GetUtcNow();
            return;
        }

        if (stream.Length + nextLength + 1 <= options.MaxFileBytes && time.GetUtcNow() - fileStarted < options.MaxFileAge)
        {
            return;
        }

        stream.Flush(flushToDisk: true);
        stream.Dispose();
        var current = Path.Combine(directory, AuditChain.CurrentFileName);
        File.Move(current, Path.Combine(directory, AuditChain.RotatedFileName(fileFirstSeq)));
        file = OpenForAppend(current);
        fileFirstSeq = seq + 1;
        fileStarted = time.GetUtcNow();
    }

    private void OpenCurrentFile()
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        else
        {
            // The trail holds client addresses and user names: owner only.
            System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var current = Path.Combine(directory, AuditChain.CurrentFileName);
        file = OpenForAppend(current);
        var torn = TruncateTornTail(file);
        var last = ReadLastLine(file) ?? LastLineOfRotated();
        if (last is not null)
        {
            seq = ReadSeq(last);
            prev = AuditChain.Hash(last);
        }

        fileFirstSeq = file.Length == 0 ? seq + 1 : ReadSeq(ReadFirstLine(file));
        fileStarted = file.Length == 0 ? time.GetUtcNow() : ReadTime(ReadFirstLine(file));
        if (torn > 0)
        {
            logger.LogWarning("audit log {File} ended in a partial line of {Bytes} bytes (a crash while writing); it was cut", current, torn);
            Append(formatter.Format(seq + 1, time.GetUtcNow(), "audit.recovered", "truncated", prev, writer => writer.WriteNumber("bytes", torn)));
            Sync();
        }
    }

    private static FileStream OpenForAppend(string path)
    {
        var fileOptions = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.Read, BufferSize = 64 * 1024 };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, fileOptions);
        stream.Seek(0, SeekOrigin.End);
        return stream;
    }

    /// <summary>Cuts a final line without its newline (a crash mid-write) and returns how many bytes were cut.</summary>
    private static long TruncateTornTail(FileStream stream)
    {
        if (stream.Length == 0)
        {
            return 0;
        }

        var tail = ReadTail(stream, out var tailStart);
        if (tail[^1] == '\n')
        {
            return 0;
        }

        var lastNewline = Array.LastIndexOf(tail, (byte)'\n');
        var keep = lastNewline < 0 ? 0 : tailStart + lastNewline + 1;
        if (lastNewline < 0 && tailStart > 0)
        {
            throw new IOException($"audit log {stream.Name} has a last line longer than {tail.Length} bytes; run `rampart audit verify`");
        }

        var cut = stream.Length - keep;
        stream.SetLength(keep);
        stream.Seek(0, SeekOrigin.End);
        return cut;
    }

    private static byte[]? ReadLastLine(FileStream stream)
    {
        if (stream.Length == 0)
        {
            return null;
        }

        var tail = ReadTail(stream, out _);
        var end = tail.Length - 1;
        var start = Array.LastIndexOf(tail, (byte)'\n', end - 1) + 1;
        stream.Seek(0, SeekOrigin.End);
        return tail[start..end];
    }

    private static byte[] ReadFirstLine(FileStream stream)
    {
        stream.Seek(0, SeekOrigin.Begin);
        var bytes = new List<byte>();
        int b;
        while ((b = stream.ReadByte()) >= 0 && b != '\n')
        {
            bytes.Add((byte)b);
        }

        stream.Seek(0, SeekOrigin.End);
        return [.. bytes];
    }

    private static byte[] ReadTail(FileStream stream, out long tailStart)
    {
        const int TailBytes = 256 * 1024;
        tailStart = Math.Max(0, stream.Length - TailBytes);
        var tail = new byte[stream.Length - tailStart];
        stream.Seek(tailStart, SeekOrigin.Begin);
        stream.ReadExactly(tail);
        stream.Seek(0, SeekOrigin.End);
        return tail;
    }

    private byte[]? LastLineOfRotated()
    {
        var rotated = AuditChain.FilesInOrder(directory).Where(f => !f.EndsWith(AuditChain.CurrentFileName, StringComparison.Ordinal)).LastOrDefault();
        if (rotated is null)
        {
            return null;
        }

        using var stream = new FileStream(rotated, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return ReadLastLine(stream);
    }

    private static long ReadSeq(byte[] line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.GetProperty("seq").GetInt64();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new IOException($"audit log line is not a Rampart audit line ({Encoding.UTF8.GetString(line.AsSpan(0, Math.Min(line.Length, 80)))}); run `rampart audit verify`", e);
        }
    }

    private static DateTimeOffset ReadTime(byte[] line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.TryGetProperty("time", out var value) && value.TryGetDateTimeOffset(out var parsed) ? parsed : DateTimeOffset.UtcNow;
    }

    private readonly record struct Item(SecurityEvent? Event, TaskCompletionSource? Flushed);
}
