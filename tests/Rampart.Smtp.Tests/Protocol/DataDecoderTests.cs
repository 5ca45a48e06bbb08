using System.Text;
using Rampart.Smtp.Protocol;

namespace Rampart.Smtp.Tests.Protocol;

/// <summary>The DATA decoder: dot-unstuffing and the end marker (RFC 5321 §4.5.2, §4.1.1.4), bare CR/LF refusal
/// (§2.3.8, SMTP smuggling), size and line limits — also when the input arrives one octet at a time.</summary>
public sealed class DataDecoderTests
{
    private static (string Output, DataError Error, bool Complete, int Consumed) Decode(string input, long maxSize = 1_000_000, int maxLine = 1000, int split = int.MaxValue)
    {
        var decoder = new DataDecoder(maxSize, maxLine);
        var bytes = Encoding.Latin1.GetBytes(input);
        var output = new MemoryStream();
        var total = 0;
        for (var offset = 0; offset < bytes.Length && !decoder.IsComplete;)
        {
            var take = Math.Min(split, bytes.Length - offset);
            var buffer = new byte[DataDecoder.OutputSizeFor(take)];
            var written = decoder.Decode(bytes.AsSpan(offset, take), buffer, out var consumed);
            output.Write(buffer, 0, written);
            offset += consumed;
            total += consumed;
        }

        return (Encoding.Latin1.GetString(output.ToArray()), decoder.Error, decoder.IsComplete, total);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(3)]
    public void Unstuffs_leading_dots_and_stops_after_the_end_marker(int split)
    {
        var (output, error, complete, consumed) = Decode("Subject: x\r\n\r\n..a dot line\r\n.\r\nNOOP\r\n", split: split);
        Assert.Equal("Subject: x\r\n\r\n.a dot line\r\n", output);
        Assert.Equal(DataError.None, error);
        Assert.True(complete);
        Assert.Equal("Subject: x\r\n\r\n..a dot line\r\n.\r\n".Length, consumed);
    }

    [Fact]
    public void An_empty_message_is_just_the_end_marker()
    {
        var (output, error, complete, _) = Decode(".\r\n");
        Assert.Equal("", output);
        Assert.Equal(DataError.None, error);
        Assert.True(complete);
    }

    [Theory]
    [InlineData("a\nb\r\n.\r\n", DataError.BareLineFeed)]
    [InlineData("a\rb\r\n.\r\n", DataError.BareCarriageReturn)]
    [InlineData("a\r\n.\rx\r\n.\r\n", DataError.BareCarriageReturn)]
    public void Bare_line_ends_are_refused(string input, DataError expected)
    {
        var (_, error, complete, _) = Decode(input);
        Assert.Equal(expected, error);
        Assert.True(complete);
    }

    [Theory]
    [InlineData("a\n.\nMAIL FROM:<x@y>\r\n")]
    [InlineData("a\n.\r\nMAIL FROM:<x@y>\r\n")]
    [InlineData("a\r\n.\nMAIL FROM:<x@y>\r\n")]
    public void Only_crlf_dot_crlf_ends_the_data(string input)
    {
        // SMTP smuggling: a second message hidden behind a line end another server reads as the end.
        var (_, error, complete, _) = Decode(input);
        Assert.False(complete);
        Assert.Equal(DataError.BareLineFeed, error);
    }

    [Fact]
    public void The_size_limit_stops_writing_but_the_end_is_still_found()
    {
        var body = new string('x', 100) + "\r\n";
        var (output, error, complete, _) = Decode(string.Concat(Enumerable.Repeat(body, 20)) + ".\r\n", maxSize: 500);
        Assert.Equal(DataError.TooBig, error);
        Assert.True(complete);
        Assert.True(output.Length <= 500);
    }

    [Theory]
    [InlineData(998, DataError.None)]
    [InlineData(999, DataError.LineTooLong)]
    public void Lines_are_limited_to_1000_octets_with_crlf(int length, DataError expected)
    {
        var (_, error, complete, _) = Decode(new string('y', length) + "\r\n.\r\n");
        Assert.Equal(expected, error);
        Assert.True(complete);
    }
}
