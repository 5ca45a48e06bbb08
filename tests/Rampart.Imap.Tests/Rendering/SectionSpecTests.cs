using System.Text;
using Rampart.Imap.Rendering;

namespace Rampart.Imap.Tests.Rendering;

public class SectionSpecTests
{
    [Theory]
    [InlineData("", "", SectionKind.Full)]
    [InlineData("header", "HEADER", SectionKind.Header)]
    [InlineData("TEXT", "TEXT", SectionKind.Text)]
    [InlineData("1", "1", SectionKind.Full)]
    [InlineData("1.2.3", "1.2.3", SectionKind.Full)]
    [InlineData("4.2.mime", "4.2.MIME", SectionKind.Mime)]
    [InlineData("3.Header", "3.HEADER", SectionKind.Header)]
    [InlineData("3.TEXT", "3.TEXT", SectionKind.Text)]
    [InlineData("HEADER.FIELDS (from To)", "HEADER.FIELDS (FROM TO)", SectionKind.HeaderFields)]
    [InlineData("header.fields.not (\"Subject\" x-a)", "HEADER.FIELDS.NOT (SUBJECT X-A)", SectionKind.HeaderFieldsNot)]
    [InlineData("2.HEADER.FIELDS (DATE date)", "2.HEADER.FIELDS (DATE)", SectionKind.HeaderFields)]
    [InlineData("HEADER.FIELDS (\"X]\")", "HEADER.FIELDS (\"X]\")", SectionKind.HeaderFields)]
    public void Valid_specifiers_parse_to_their_canonical_form(string text, string canonical, SectionKind kind)
    {
        Assert.True(SectionSpec.TryParse(Encoding.ASCII.GetBytes(text), out var spec));
        Assert.Equal(kind, spec.Kind);
        Assert.Equal(canonical, spec.ToString());
    }

    [Fact]
    public void Parts_and_fields_are_exposed()
    {
        Assert.True(SectionSpec.TryParse("1.22.3.HEADER.FIELDS (A b)"u8, out var spec));
        Assert.Equal([1, 22, 3], spec.Part);
        Assert.Equal(["A", "B"], spec.Fields);
        Assert.True(spec.ContainsField("b"u8));
        Assert.False(spec.ContainsField("c"u8));
    }

    [Theory]
    [InlineData("MIME")]
    [InlineData("0")]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData(".1")]
    [InlineData("1..2")]
    [InlineData("1.FOO")]
    [InlineData("HEADER.FIELDS")]
    [InlineData("HEADER.FIELDS ()")]
    [InlineData("HEADER.FIELDS (A  B)")]
    [InlineData("HEADER.FIELDS (A:B)")]
    [InlineData("HEADER.FIELDS (\"a b\")")]
    [InlineData("HEADER.FIELDS (\"unterminated)")]
    [InlineData("HEADER.FIELDS A")]
    [InlineData("HEADER ")]
    [InlineData("TEXT.MIME")]
    [InlineData("1234567890")]
    public void Invalid_specifiers_are_rejected(string text) =>
        Assert.False(SectionSpec.TryParse(Encoding.ASCII.GetBytes(text), out _));

    [Fact]
    public void Part_depth_and_field_count_are_bounded()
    {
        string deep = string.Join('.', Enumerable.Repeat("1", SectionSpec.MaxPartDepth));
        Assert.True(SectionSpec.TryParse(Encoding.ASCII.GetBytes(deep), out _));
        Assert.False(SectionSpec.TryParse(Encoding.ASCII.GetBytes(deep + ".1"), out _));

        string fields = string.Join(' ', Enumerable.Range(0, SectionSpec.MaxFields).Select(i => "F" + i));
        Assert.True(SectionSpec.TryParse(Encoding.ASCII.GetBytes($"HEADER.FIELDS ({fields})"), out _));
        Assert.False(SectionSpec.TryParse(Encoding.ASCII.GetBytes($"HEADER.FIELDS ({fields} EXTRA)"), out _));

        string longName = new('x', SectionSpec.MaxFieldNameLength + 1);
        Assert.False(SectionSpec.TryParse(Encoding.ASCII.GetBytes($"HEADER.FIELDS ({longName})"), out _));
    }

    [Theory]
    [InlineData("<0.10>", 0u, 10u)]
    [InlineData("<4294967295.4294967295>", 4294967295u, 4294967295u)]
    [InlineData("5.1", 5u, 1u)]
    public void Partial_ranges_parse(string text, uint origin, uint length)
    {
        Assert.True(PartialRange.TryParse(Encoding.ASCII.GetBytes(text), out var range));
        Assert.Equal(new PartialRange(origin, length), range);
    }

    [Theory]
    [InlineData("<0.0>")]
    [InlineData("<4294967296.1>")]
    [InlineData("<1>")]
    [InlineData("<-1.5>")]
    [InlineData("<1.5")]
    [InlineData("<.5>")]
    [InlineData("<1.+5>")]
    public void Bad_partial_ranges_are_rejected(string text) =>
        Assert.False(PartialRange.TryParse(Encoding.ASCII.GetBytes(text), out _));

    [Fact]
    public void Partial_range_applies_rfc_semantics()
    {
        Assert.Equal((2L, 3L), new PartialRange(2, 3).Apply(10));
        Assert.Equal((8L, 2L), new PartialRange(8, 100).Apply(10));
        Assert.Equal((10L, 0L), new PartialRange(10, 1).Apply(10));
        Assert.Equal((10L, 0L), new PartialRange(4000000000, 1).Apply(10));
    }
}
