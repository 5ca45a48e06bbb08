using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rampart.Smtp.Dsn;

namespace Rampart.Smtp.Queue;

/// <summary>The outbound queue on disk, <c>DATA/queue/</c>: per message <c>ID.eml</c> (the bytes as submitted) and
/// <c>ID.json</c> (its <see cref="QueueEnvelope"/>). The envelope is the commit point: it is renamed into place only
/// after the message file is fsynced, so a crash at any moment leaves either nothing queued or a complete message.
/// <c>ID.retry</c> markers written by <c>rampart queue retry</c> ask the running worker to try now.</summary>
public sealed partial class FileOutboundQueue : IOutboundQueue
{
    /// <summary>The queue's folder name inside the data directory.</summary>
    public const string FolderName = "queue";

    private const string MessageExtension = ".eml";
    private const string EnvelopeExtension = ".json";
    private const string RetryExtension = ".retry";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };
    private readonly TimeProvider time;

    /// <summary>The queue under <c>DATA/queue</c>; the folder is created (mode 0700) when missing.</summary>
    public FileOutboundQueue(string dataDirectory, TimeProvider? time = null)
    {
        this.time = time ?? TimeProvider.System;
        Directory = Path.Combine(dataDirectory, FolderName);
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>The queue folder's full path.</summary>
    public string Directory { get; }

    /// <summary>Raised after a message is durable in the queue, with its id; the delivery worker listens.</summary>
    public event Action<string>? Enqueued;

    /// <inheritdoc />
    public Task<string> EnqueueAsync(string envelopeFrom, IReadOnlyList<string> recipients, Stream message, CancellationToken cancellationToken = default) =>
        EnqueueAsync(envelopeFrom, recipients, message, null, cancellationToken);

    /// <inheritdoc />
    public Task<string> EnqueueAsync(string envelopeFrom, IReadOnlyList<string> recipients, Stream message, DsnRequest? dsn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        return EnqueueCoreAsync(envelopeFrom, [.. recipients.Distinct(StringComparer.OrdinalIgnoreCase).Select(r => Recipient(r, dsn))], message, dsn, cancellationToken);
    }

    /// <inheritdoc />
    public Task<string> EnqueueLocalAsync(string envelopeFrom, IReadOnlyList<LocalRecipient> recipients, Stream message, DsnRequest? dsn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        return EnqueueCoreAsync(envelopeFrom, [.. recipients.DistinctBy(r => r.Address, StringComparer.OrdinalIgnoreCase).Select(r =>
        {
            var recipient = Recipient(r.Address, dsn);
            recipient.Account = r.Account;
            recipient.Mailbox = r.Mailbox;
            return recipient;
        })], message, dsn, cancellationToken);
    }

    private async Task<string> EnqueueCoreAsync(string envelopeFrom, List<QueuedRecipient> recipients, Stream message, DsnRequest? dsn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelopeFrom);
        ArgumentNullException.ThrowIfNull(message);
        if (recipients.Count == 0)
        {
            throw new ArgumentException("at least one recipient is needed", nameof(recipients));
        }

        foreach (var recipient in recipients.Select(r => r.Address))
        {
            if (recipient.LastIndexOf('@') is <= 0 || recipient.EndsWith('@') || recipient.Any(char.IsControl))
            {
                throw new ArgumentException($"'{recipient}' is not a mailbox address", nameof(recipients));
            }
        }

        var now = time.GetUtcNow();
        var id = NewId(now);
        var messagePath = MessagePath(id);
        long size;
        try
        {
            // Streamed to the file, never held whole in memory; fsynced before the envelope names it.
            await using (var file = new FileStream(messagePath, DurableFile.PrivateFile(FileMode.CreateNew)))
            {
                await message.CopyToAsync(file, 81920, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
                size = file.Length;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var envelope = new QueueEnvelope
            {
                Id = id,
                Sender = envelopeFrom,
                Recipients = recipients,
                Return = dsn?.Return ?? DsnReturn.Unspecified,
                EnvelopeId = dsn?.EnvelopeId,
                Created = now,
                Size = size,
                NextAttempt = now,
            };

            // The atomic write fsyncs the directory too, which makes the message file's name durable as well.
            DurableFile.WriteAtomically(EnvelopePath(id), JsonSerializer.SerializeToUtf8Bytes(envelope, Json));
        }
        catch
        {
            File.Delete(messagePath);
            throw;
        }

        Enqueued?.Invoke(id);
        return id;
    }

    /// <summary>True when <paramref name="id"/> has the shape of a queue id (no path characters), so that an id typed
    /// on the command line can never name a file outside the queue.</summary>
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    /// <summary>Every queued envelope, oldest first. Damaged envelope files are skipped.</summary>
    public IReadOnlyList<QueueEnvelope> List()
    {
        var envelopes = new List<QueueEnvelope>();
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*" + EnvelopeExtension))
        {
            var id = Path.GetFileNameWithoutExtension(file);
            if (IsValidId(id) && Read(id) is { } envelope)
            {
                envelopes.Add(envelope);
            }
        }

        return [.. envelopes.OrderBy(e => e.Created).ThenBy(e => e.Id, StringComparer.Ordinal)];
    }

    /// <summary>The envelope of <paramref name="id"/>; null when it is not queued (delivered, deleted) or damaged.</summary>
    public QueueEnvelope? Read(string id)
    {
        if (!IsValidId(id))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<QueueEnvelope>(File.ReadAllBytes(EnvelopePath(id)), Json);
        }
        catch (Exception e) when (e is FileNotFoundException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Opens the queued message for reading.</summary>
    public FileStream OpenMessage(string id) =>
        new(MessagePath(id), new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read, Options = FileOptions.SequentialScan });

    /// <summary>Records <paramref name="envelope"/> durably; false (and nothing written) when the message was deleted
    /// meanwhile (<c>rampart queue delete</c>).</summary>
    public bool Save(QueueEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var path = EnvelopePath(envelope.Id);
        if (!File.Exists(path))
        {
            return false;
        }

        DurableFile.WriteAtomically(path, JsonSerializer.SerializeToUtf8Bytes(envelope, Json));
        return true;
    }

    /// <summary>Removes a message from the queue: envelope first (the commit point), then the message file; false when
    /// it was not queued.</summary>
    public bool Delete(string id)
    {
        if (!IsValidId(id))
        {
            return false;
        }

        var envelope = EnvelopePath(id);
        var existed = File.Exists(envelope);
        File.Delete(envelope);
        File.Delete(MessagePath(id));
        File.Delete(RetryPath(id));
        DurableFile.FlushDirectory(Directory);
        return existed;
    }

    /// <summary>Asks the worker (this process or the running server) to try <paramref name="id"/> now; false when it is
    /// not queued.</summary>
    public bool RequestRetry(string id)
    {
        if (!IsValidId(id) || !File.Exists(EnvelopePath(id)))
        {
            return false;
        }

        File.WriteAllBytes(RetryPath(id), []);
        return true;
    }

    /// <summary>The ids whose retry was requested, removing the requests.</summary>
    public IReadOnlyList<string> TakeRetryRequests()
    {
        var ids = new List<string>();
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*" + RetryExtension))
        {
            var id = Path.GetFileNameWithoutExtension(file);
            File.Delete(file);
            if (IsValidId(id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>Removes what a crash can leave behind: message files without an envelope (the crash came before the
    /// commit point) older than <paramref name="minimumAge"/>, and temporary files.</summary>
    public int RemoveOrphans(TimeSpan minimumAge)
    {
        var removed = 0;
        var cutoff = time.GetUtcNow().UtcDateTime - minimumAge;
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
        {
            var name = Path.GetFileName(file);
            var orphanMessage = name.EndsWith(MessageExtension, StringComparison.Ordinal) && !File.Exists(EnvelopePath(Path.GetFileNameWithoutExtension(name)));
            var temporary = name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal);
            if ((orphanMessage || temporary) && File.GetLastWriteTimeUtc(file) < cutoff)
            {
                File.Delete(file);
                removed++;
            }
        }

        return removed;
    }

    private static QueuedRecipient Recipient(string address, DsnRequest? dsn)
    {
        var asked = dsn?.For(address);
        return new QueuedRecipient
        {
            Address = address,
            Notify = asked?.Notify ?? DsnNotify.None,
            OriginalRecipientType = asked?.OriginalRecipientType,
            OriginalRecipient = asked?.OriginalRecipient,
        };
    }

    private string MessagePath(string id) => Path.Combine(Directory, id + MessageExtension);

    private string EnvelopePath(string id) => Path.Combine(Directory, id + EnvelopeExtension);

    private string RetryPath(string id) => Path.Combine(Directory, id + RetryExtension);

    /// <summary>Time-ordered and unique: <c>20260301T120000123-9f3a1c2b</c>.</summary>
    private static string NewId(DateTimeOffset now) =>
        $"{now.UtcDateTime:yyyyMMdd'T'HHmmssfff}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    [GeneratedRegex("^[0-9]{8}T[0-9]{9}-[0-9a-f]{8}$")]
    private static partial Regex IdPattern();
}
