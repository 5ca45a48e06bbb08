using System.Text;
using Rampart.Imap.Rendering;

namespace Rampart.Imap.Tests.Rendering;

public class ImapStringWriterTests
{
    [Theory]
    [InlineData("plain", false, "\"plain\"")]
    [InlineData("a\"b\\c", false, "\"a\\\"b\\\\c\"")]
    [InlineData("", false, "\"\"")]
    [InlineData("é", false, "{2}\r\né")]
    [InlineData("é", true, "\"é\"")]
    [InlineData("a\rb", true, "{3}\r\na\rb")]
    [InlineData("a\0b", true, "{3}\r\na\0b")]
    public void Strings_are_quoted_when_safe_else_literals(string value, bool utf8, string expected) =>
        Assert.Equal(expected, RenderingSamples.Render(o => ImapStringWriter.WriteString(o, value, utf8)));

    [Fact]
    public void Long_values_and_invalid_utf8_go_as_literals()
    {
        string longValue = new('x', ImapStringWriter.MaxQuotedLength + 1);
        Assert.StartsWith("{1025}\r\n", RenderingSamples.Render(o => ImapStringWriter.WriteString(o, longValue, true)), StringComparison.Ordinal);
        string atLimit = new('x', ImapStringWriter.MaxQuotedLength);
        Assert.StartsWith("\"x", RenderingSamples.Render(o => ImapStringWriter.WriteString(o, atLimit, true)), StringComparison.Ordinal);
        Assert.False(ImapStringWriter.CanQuote([0xC3], utf8Allowed: true));
    }

    [Fact]
    public void Nstring_and_astring()
    {
        Assert.Equal("NIL", RenderingSamples.Render(o => ImapStringWriter.WriteNString(o, null, false)));
        Assert.Equal("INBOX", RenderingSamples.Render(o => ImapStringWriter.WriteAString(o, "INBOX", false)));
        Assert.Equal("\"a b\"", RenderingSamples.Render(o => ImapStringWriter.WriteAString(o, "a b", false)));
        Assert.Equal("\"nil\"", RenderingSamples.Render(o => ImapStringWriter.WriteAString(o, "nil", false)));
        Assert.Equal("\"\"", RenderingSamples.Render(o => ImapStringWriter.WriteAString(o, Encoding.ASCII.GetBytes(""), false)));
    }
}
