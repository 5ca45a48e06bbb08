namespace Rampart.Imap.Rendering;

/// <summary>Streams a header block and keeps the fields HEADER.FIELDS names (or, for HEADER.FIELDS.NOT, the others),
/// byte-exact, folded continuation lines with their field (RFC 9051 §6.4.5, RFC 5322 §2.2.3). The result ends with
/// the blank line that ends a header.</summary>
/// <remarks>Memory is bounded by the longest field name that can match (<see cref="SectionSpec.MaxFieldNameLength"/>):
/// a field whose name is longer cannot be in the list and is decided without reading more of it.</remarks>
internal sealed class HeaderFieldFilter(SectionSpec spec, SpoolBuffer output)
{
    private readonly bool not = spec.Kind == SectionKind.HeaderFieldsNot;
    private readonly byte[] name = new byte[SectionSpec.MaxFieldNameLength + 1];
    private int nameLength;
    private State state = State.LineStart;
    private bool include;

    private enum State
    {
        LineStart,
        Name,
        Line,
        Done,
    }

    /// <summary>The blank line ending the header was seen; further input is ignored.</summary>
    public bool Done => state == State.Done;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        int runStart = 0;
        for (int i = 0; i < chunk.Length && state != State.Done; i++)
        {
            // Indexing the memory each time: a span cannot live across the awaits below.
            byte b = chunk.Span[i];
            switch (state)
            {
                case State.LineStart when b is (byte)'\r' or (byte)'\n':
                    // The blank line: the end of the header.
                    state = State.Done;
                    break;
                case State.LineStart when b is (byte)' ' or (byte)'\t':
                    // A folded continuation goes with its field, whatever was decided for it.
                    state = State.Line;
                    runStart = i;
                    break;
                case State.LineStart:
                    state = State.Name;
                    nameLength = 0;
                    name[nameLength++] = b;
                    break;
                case State.Name when b == ':' || b == '\n' || nameLength == name.Length:
                    include = b == ':' && Matches() ? !not : not;
                    if (include)
                    {
                        await output.WriteAsync(name.AsMemory(0, nameLength), cancellationToken);
                    }

                    state = b == '\n' ? State.LineStart : State.Line;
                    runStart = i;
                    if (include && b == '\n')
                    {
                        await output.WriteAsync(chunk.Slice(i, 1), cancellationToken);
                    }

                    break;
                case State.Name:
                    name[nameLength++] = b;
                    break;
                case State.Line when b == '\n':
                    if (include)
                    {
                        await output.WriteAsync(chunk[runStart..(i + 1)], cancellationToken);
                    }

                    state = State.LineStart;
                    break;
            }
        }

        if (state == State.Line && include)
        {
            await output.WriteAsync(chunk[runStart..], cancellationToken);
        }
    }

    /// <summary>Ends the result with the blank line (CRLF) a header block ends with.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (state == State.Name && not)
        {
            // A last line without colon or line break: not a field the list can name.
            await output.WriteAsync(name.AsMemory(0, nameLength), cancellationToken);
            await output.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
        }
        else if (state == State.Line && include)
        {
            await output.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
        }

        await output.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
    }

    private bool Matches()
    {
        var field = name.AsSpan(0, nameLength).TrimEnd(" \t"u8);
        return spec.ContainsField(field);
    }
}
