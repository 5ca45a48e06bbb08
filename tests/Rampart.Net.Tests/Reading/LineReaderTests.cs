using System.Buffers;
using System.Text;
using Rampart.Net.Reading;

namespace Rampart.Net.Tests.Reading;

public class LineReaderTests
{
    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.ASCII.GetBytes(text));

    private static (LineReadStatus Status, string Line, LiteralHeader? Literal, long Remaining) Read(LineReader reader, string text)
    {
        var buffer = Bytes(text);
        var status = reader.TryRead(ref buffer, out var line, out var literal);
        return (status, Encoding.ASCII.GetString(line.ToArray()), literal, buffer.Length);
    }

    [Fact]
    public void Splits_a_crlf_line_and_leaves_the_rest()
    {
        var result = Read(new LineReader(), "a1 NOOP\r\na2 NOOP\r\n");
        Assert.Equal(LineReadStatus.Line, result.Status);
        Assert.Equal("a1 NOOP", result.Line);
        Assert.Equal(9, result.Remaining);
        Assert.Null(result.Literal);
    }

    [Fact]
    public void Resumes_across_packets_including_a_split_crlf()
    {
        var reader = new LineReader();
        var data = Encoding.ASCII.GetBytes("a1 NOOP\r\n");
        // Feed growing prefixes from one start, as a PipeReader does after AdvanceTo(start, end).
        for (var length = 1; length < data.Length; length++)
        {
            var partial = new ReadOnlySequence<byte>(data, 0, length);
            Assert.Equal(LineReadStatus.NeedMoreData, reader.TryRead(ref partial, out _, out _));
            Assert.Equal(length, partial.Length);
        }

        var whole = new ReadOnlySequence<byte>(data);
        Assert.Equal(LineReadStatus.Line, reader.TryRead(ref whole, out var line, out _));
        Assert.Equal("a1 NOOP", Encoding.ASCII.GetString(line.ToArray()));
    }

    // M04
    [Theory]
    [InlineData("a1 NO\0OP\r\n", LineReadStatus.NulByte)]
    [InlineData("a1 NO\rOP\r\n", LineReadStatus.BadLineEnding)]
    [InlineData("a1 NOOP\n", LineReadStatus.BadLineEnding)]
    [InlineData("a1 NOOP\r\r\n", LineReadStatus.BadLineEnding)]
    public void Rejects_nul_and_bare_cr_or_lf(string input, LineReadStatus expected)
    {
        Assert.Equal(expected, Read(new LineReader(), input).Status);
    }

    [Fact]
    public void Bare_lf_is_accepted_only_when_enabled()
    {
        var reader = new LineReader(new LineReaderLimits { AllowBareLineFeed = true });
        var result = Read(reader, "QUIT\nnext");
        Assert.Equal(LineReadStatus.Line, result.Status);
        Assert.Equal("QUIT", result.Line);
        Assert.Equal(4, result.Remaining);
    }

    // M03 (in memory): the overflow is reported as soon as it exists, not at the end of the line.
    [Fact]
    public void Line_over_the_limit_is_too_long_before_its_end()
    {
        var reader = new LineReader(new LineReaderLimits { MaxLineLength = 100 });
        Assert.Equal(LineReadStatus.NeedMoreData, Read(reader, new string('x', 102)).Status);
        reader.Reset();
        Assert.Equal(LineReadStatus.LineTooLong, Read(reader, new string('x', 103)).Status);
        reader.Reset();
        Assert.Equal(LineReadStatus.LineTooLong, Read(reader, new string('x', 101) + "\r\n").Status);
        reader.Reset();
        Assert.Equal(LineReadStatus.Line, Read(reader, new string('x', 100) + "\r\n").Status);
    }

    [Fact]
    public void Skip_line_consumes_through_the_next_lf()
    {
        var reader = new LineReader();
        var buffer = Bytes("garbage\0more\r\na2 NOOP\r\n");
        Assert.Equal(LineReadStatus.NulByte, reader.TryRead(ref buffer, out _, out _));
        Assert.True(reader.TrySkipLine(ref buffer));
        Assert.Equal(LineReadStatus.Line, reader.TryRead(ref buffer, out var line, out _));
        Assert.Equal("a2 NOOP", Encoding.ASCII.GetString(line.ToArray()));
    }

    [Theory]
    [InlineData("a APPEND INBOX {310}", 310L, true, false)]
    [InlineData("a APPEND INBOX {310+}", 310L, false, false)]
    [InlineData("a APPEND INBOX ~{12}", 12L, true, true)]
    [InlineData("a LOGIN {0005}", 5L, true, false)]
    public void Detects_literals(string line, long length, bool synchronizing, bool binary)
    {
        var reader = new LineReader(new LineReaderLimits { MaxLiteralLength = 1000 });
        var result = Read(reader, line + "\r\n");
        Assert.Equal(LineReadStatus.Line, result.Status);
        Assert.Equal(new LiteralHeader(length, synchronizing, binary), result.Literal);
        Assert.Equal(line, result.Line);
    }

    [Theory]
    [InlineData("a1 NOOP")]
    [InlineData("a SELECT foo}")]
    [InlineData("a SEARCH SUBJECT \"{5}\"")]
    [InlineData("a x 123}")]
    public void Lines_without_a_literal_are_plain(string line)
    {
        var result = Read(new LineReader(), line + "\r\n");
        Assert.Equal(LineReadStatus.Line, result.Status);
        Assert.Null(result.Literal);
    }

    // M01: absurd lengths are refused by their digits, with no continuation and no allocation.
    [Theory]
    [InlineData("a APPEND INBOX {4294967296}", true)]
    [InlineData("a APPEND INBOX {99999999999999999999}", true)]
    [InlineData("a APPEND INBOX {99999999999999999999+}", false)]
    [InlineData("a APPEND INBOX {999999999999999999999999999999999999999999999999999999999999999999999999999999}", true)]
    public void Absurd_literal_lengths_are_too_large(string line, bool synchronizing)
    {
        var reader = new LineReader(new LineReaderLimits { MaxLiteralLength = 50_000_000 });
        var buffer = Bytes(line + "\r\n");
        var before = GC.GetAllocatedBytesForCurrentThread();
        var status = reader.TryRead(ref buffer, out _, out var literal);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(LineReadStatus.LiteralTooLarge, status);
        Assert.Equal(synchronizing, literal!.Value.Synchronizing);
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData("a APPEND INBOX {-1}")]
    [InlineData("a APPEND INBOX {}")]
    [InlineData("a APPEND INBOX {+}")]
    public void Malformed_literal_lengths_are_bad(string line)
    {
        Assert.Equal(LineReadStatus.BadLiteral, Read(new LineReader(), line + "\r\n").Status);
    }

    // M02: the caller's limit (4 KiB before login) applies to synchronizing and non-synchronizing literals.
    [Fact]
    public void Literal_over_the_callers_limit_is_too_large()
    {
        var limits = new LineReaderLimits { MaxLiteralLength = 4096 };
        var reader = new LineReader(limits);
        Assert.Equal(LineReadStatus.Line, Read(reader, "a LOGIN {4096+}\r\n").Status);
        reader.Reset();
        var result = Read(reader, "a LOGIN {4097+}\r\n");
        Assert.Equal(LineReadStatus.LiteralTooLarge, result.Status);
        Assert.Equal(4097, result.Literal!.Value.Length);
        Assert.False(result.Literal.Value.Synchronizing);

        limits.MaxLiteralLength = 50_000_000;
        Assert.Equal(LineReadStatus.Line, Read(reader, "a APPEND INBOX {4097}\r\n").Status);
    }

    // M02: literal count per command.
    [Fact]
    public void Too_many_literals_in_one_command()
    {
        var reader = new LineReader(new LineReaderLimits { MaxLiteralsPerCommand = 3 });
        var text = new StringBuilder();
        for (var i = 0; i < 4; i++)
        {
            text.Append("x {1+}\r\nZ");
        }

        var buffer = Bytes(text.ToString());
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(LineReadStatus.Line, reader.TryRead(ref buffer, out _, out var literal));
            Assert.Equal(1, literal!.Value.Length);
            buffer = buffer.Slice(1); // the literal byte
        }

        Assert.Equal(LineReadStatus.TooManyLiterals, reader.TryRead(ref buffer, out _, out _));
    }

    [Fact]
    public void Count_restarts_with_each_command()
    {
        var reader = new LineReader(new LineReaderLimits { MaxLiteralsPerCommand = 1 });
        var buffer = Bytes("a {1+}\r\nZ done\r\nb {1+}\r\nZ done\r\n");
        Assert.Equal(LineReadStatus.Line, reader.TryRead(ref buffer, out _, out _));
        buffer = buffer.Slice(1);
        Assert.Equal(LineReadStatus.Line, reader.TryRead(ref buffer, out _, out var end));
        Assert.Null(end);
        Assert.Equal(LineReadStatus.Line, reader.TryRead(ref buffer, out _, out var second));
        Assert.NotNull(second);
    }

    [Fact]
    public void Literal_detection_can_be_turned_off()
    {
        var reader = new LineReader(new LineReaderLimits { DetectLiterals = false });
        var result = Read(reader, "MAIL FROM:<a@b> {99999999999999999999}\r\n");
        Assert.Equal(LineReadStatus.Line, result.Status);
        Assert.Null(result.Literal);
    }
}

public class LineReaderLimitsTests
{
    [Fact]
    public void Pre_auth_limits_come_from_the_options_and_rise_after_login()
    {
        var options = new Rampart.Net.Options.ConnectionLimitOptions();
        var limits = LineReaderLimits.ForPreAuth(options);
        Assert.Equal(64 * 1024, limits.MaxLineLength);
        Assert.Equal(4096, limits.MaxLiteralLength);
        Assert.Equal(1000, limits.MaxLiteralsPerCommand);
        Assert.False(limits.AllowBareLineFeed);
        limits.RaiseForAuthenticated(options);
        Assert.Equal(50_000_000, limits.MaxLiteralLength);
    }
}
