using System.Text;
using Rampart.Imap.Protocol;
using Rampart.Imap.Rendering;

namespace Rampart.Imap.Commands.Selected;

/// <summary>What one FETCH data item asks for (RFC 9051 §6.4.5).</summary>
internal enum FetchKind
{
    Uid,
    Flags,
    InternalDate,
    Size,
    ModSeq,
    EmailId,
    ThreadId,
    SaveDate,
    Preview,
    Envelope,
    Body,
    BodyStructure,
    Section,
    Binary,
    BinarySize,
}

/// <summary>One parsed FETCH data item: its kind, and for sections the part, partial range and label to echo.</summary>
internal sealed record FetchItem(FetchKind Kind, SectionSpec? Section = null, PartialRange? Partial = null, bool Peek = true, string Label = "")
{
    /// <summary>Parses the item list (or a macro, or one item) after the sequence set.</summary>
    public static List<FetchItem> ParseList(ArgumentReader args)
    {
        var items = new List<FetchItem>();
        if (args.TryOpenList())
        {
            do
            {
                items.AddRange(ParseOne(args));
            }
            while (args.TrySpace());
            args.Expect((byte)')', ")");
        }
        else
        {
            items.AddRange(ParseOne(args));
        }

        return items;
    }

    private static IEnumerable<FetchItem> ParseOne(ArgumentReader args)
    {
        var rest = args.Remaining;
        var length = 0;
        while (length < rest.Length && (char.IsAsciiLetterOrDigit((char)rest[length]) || rest[length] is (byte)'.' or (byte)'-'))
        {
            length++;
        }

        var name = Encoding.ASCII.GetString(rest[..length]).ToUpperInvariant();
        args.Position += length;
        switch (name)
        {
            case "ALL":
                return [new(FetchKind.Flags), new(FetchKind.InternalDate), new(FetchKind.Size), new(FetchKind.Envelope)];
            case "FAST":
                return [new(FetchKind.Flags), new(FetchKind.InternalDate), new(FetchKind.Size)];
            case "FULL":
                return [new(FetchKind.Flags), new(FetchKind.InternalDate), new(FetchKind.Size), new(FetchKind.Envelope), new(FetchKind.Body)];
            case "UID":
                return [new(FetchKind.Uid)];
            case "FLAGS":
                return [new(FetchKind.Flags)];
            case "INTERNALDATE":
                return [new(FetchKind.InternalDate)];
            case "RFC822.SIZE":
                return [new(FetchKind.Size)];
            case "MODSEQ":
                return [new(FetchKind.ModSeq)];
            case "EMAILID":
                return [new(FetchKind.EmailId)];
            case "THREADID":
                return [new(FetchKind.ThreadId)];
            case "SAVEDATE":
                return [new(FetchKind.SaveDate)];
            case "PREVIEW":
                if (args.Remaining.StartsWith(" ("u8))
                {
                    args.Space();
                    args.List(() => args.Atom());
                }

                return [new(FetchKind.Preview)];
            case "ENVELOPE":
                return [new(FetchKind.Envelope)];
            case "BODYSTRUCTURE":
                return [new(FetchKind.BodyStructure)];
            case "RFC822":
                return [new(FetchKind.Section, SectionSpec.Empty, null, false, "RFC822")];
            case "RFC822.HEADER":
                return [new(FetchKind.Section, Spec("HEADER"u8), null, true, "RFC822.HEADER")];
            case "RFC822.TEXT":
                return [new(FetchKind.Section, Spec("TEXT"u8), null, false, "RFC822.TEXT")];
            case "BODY" when args.Peek() != '[':
                return [new(FetchKind.Body)];
            case "BODY" or "BODY.PEEK" or "BINARY" or "BINARY.PEEK" or "BINARY.SIZE":
                var binary = name.StartsWith("BINARY", StringComparison.Ordinal);
                var spec = ParseSection(args);
                PartialRange? partial = null;
                if (name != "BINARY.SIZE" && args.Peek() == '<')
                {
                    var close = args.Remaining.IndexOf((byte)'>');
                    if (close < 0 || !PartialRange.TryParse(args.Remaining[..(close + 1)], out var range))
                    {
                        throw ImapCommandException.Syntax("Invalid partial range");
                    }

                    args.Position += close + 1;
                    partial = range;
                }

                if (binary && spec.Kind != SectionKind.Full)
                {
                    throw ImapCommandException.Syntax("BINARY takes part numbers only");
                }

                var label = (binary ? "BINARY[" : "BODY[") + spec + "]" + (partial is { } p ? "<" + p.Origin.ToString(System.Globalization.CultureInfo.InvariantCulture) + ">" : string.Empty);
                var kind = name == "BINARY.SIZE" ? FetchKind.BinarySize : binary ? FetchKind.Binary : FetchKind.Section;
                return [new(kind, spec, partial, name.EndsWith(".PEEK", StringComparison.Ordinal) || kind == FetchKind.BinarySize, kind == FetchKind.BinarySize ? "BINARY.SIZE[" + spec + "]" : label)];
            default:
                throw ImapCommandException.Syntax("Unknown FETCH item " + (name.Length > 0 ? name : "(empty)"));
        }
    }

    private static SectionSpec ParseSection(ArgumentReader args)
    {
        args.Expect((byte)'[', "[");
        var close = args.Remaining.IndexOf((byte)']');
        if (close < 0 || !SectionSpec.TryParse(args.Remaining[..close], out var spec))
        {
            throw ImapCommandException.Syntax("Invalid section");
        }

        args.Position += close + 1;
        return spec;
    }

    private static SectionSpec Spec(ReadOnlySpan<byte> text) =>
        SectionSpec.TryParse(text, out var spec) ? spec : throw new InvalidOperationException("built-in section");
}
