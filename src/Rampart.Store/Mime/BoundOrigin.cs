namespace Rampart.Store.Mime;

/// <summary>A read-only view of a stream that starts at <c>origin</c>, so that offsets count from the message's
/// first octet even when the caller's stream holds something before it.</summary>
internal sealed class BoundOrigin(Stream inner, long origin) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => inner.Length - origin;

    public override long Position
    {
        get => inner.Position - origin;
        set => inner.Position = value + origin;
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override long Seek(long offset, SeekOrigin seekOrigin) => seekOrigin switch
    {
        SeekOrigin.Begin => inner.Seek(offset + origin, SeekOrigin.Begin) - origin,
        _ => inner.Seek(offset, seekOrigin) - origin,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
