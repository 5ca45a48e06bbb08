namespace Rampart.Imap.Rendering;

/// <summary>The octets of one FETCH <c>BODY[…]</c> or <c>BINARY[…]</c> item, ready to be written as a literal:
/// either a range of the raw message, read on demand, or content prepared in a <see cref="SpoolBuffer"/>.</summary>
/// <remarks>
/// Dispose it when the item is written (a decoded BINARY part may sit in a temporary file). A raw range reads the
/// message stream given to <see cref="SectionContent.OpenAsync"/>, which must stay open until then.
/// </remarks>
public sealed class SectionData : IAsyncDisposable, IDisposable
{
    private readonly Stream? raw;
    private readonly long rawOffset;
    private readonly SpoolBuffer? spool;

    private SectionData(SectionStatus status, Stream? raw, long rawOffset, long length, bool containsNul, SpoolBuffer? spool)
    {
        Status = status;
        this.raw = raw;
        this.rawOffset = rawOffset;
        Length = length;
        ContainsNul = containsNul;
        this.spool = spool;
    }

    /// <summary>Whether the content exists; otherwise why not.</summary>
    public SectionStatus Status { get; }

    /// <summary>BINARY met an encoding it cannot decode (answer <c>NO [UNKNOWN-CTE]</c>).</summary>
    public bool UnknownCte => Status == SectionStatus.UnknownCte;

    /// <summary>The part does not exist (answer with an empty string or NIL).</summary>
    public bool NoSuchPart => Status == SectionStatus.NoSuchPart;

    /// <summary>Octets in the whole section (before any partial range): the literal size, and BINARY.SIZE.</summary>
    public long Length { get; }

    /// <summary>Whether the content holds a NUL octet. Computed for BINARY only (a plain BODY section is sent as a
    /// normal literal whatever it holds); when true the item must go as a literal8 <c>~{n}</c> (RFC 3516 §4.2).</summary>
    public bool ContainsNul { get; }

    internal static SectionData Missing { get; } = new(SectionStatus.NoSuchPart, null, 0, 0, false, null);

    internal static SectionData Failed(SectionStatus status) => new(status, null, 0, 0, false, null);

    internal static SectionData FromRaw(Stream raw, long offset, long length, bool containsNul) =>
        new(SectionStatus.Ok, raw, offset, length, containsNul, null);

    internal static SectionData FromSpool(SpoolBuffer spool) =>
        new(SectionStatus.Ok, null, 0, spool.Length, spool.ContainsNul, spool);

    /// <summary>Octets <see cref="CopyToAsync"/> writes for <paramref name="range"/>: the literal's size.</summary>
    public long LengthOf(PartialRange? range) => range is { } partial ? partial.Apply(Length).Count : Length;

    /// <summary>Writes the section, or the part <paramref name="range"/> selects (RFC 9051 §6.4.5), to
    /// <paramref name="destination"/>. Writes exactly <see cref="LengthOf"/> octets.</summary>
    public async Task CopyToAsync(Stream destination, PartialRange? range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var (start, count) = range is { } partial ? partial.Apply(Length) : (0, Length);
        if (count == 0)
        {
            return;
        }

        if (spool is not null)
        {
            await spool.CopyToAsync(destination, start, count, cancellationToken);
            return;
        }

        raw!.Position = rawOffset + start;
        await StreamRange.CopyAsync(raw, destination, count, cancellationToken);
    }

    /// <summary>Reads the whole section into memory. For small sections and tests; FETCH should stream with
    /// <see cref="CopyToAsync"/>.</summary>
    public async Task<byte[]> ToArrayAsync(PartialRange? range, CancellationToken cancellationToken)
    {
        using var memory = new MemoryStream();
        await CopyToAsync(memory, range, cancellationToken);
        return memory.ToArray();
    }

    public void Dispose() => spool?.Dispose();

    public ValueTask DisposeAsync() => spool?.DisposeAsync() ?? ValueTask.CompletedTask;
}
