using System.Buffers;
using System.Text;
using Rampart.Pop3.Protocol;

namespace Rampart.Pop3.Tests.Protocol;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("stat", "STAT", "")]
    [InlineData("LIST 1", "LIST", "1")]
    [InlineData("PASS a secret with spaces", "PASS", "a secret with spaces")]
    [InlineData("USER jürgen", "USER", "jürgen")]
    [InlineData("Top 1 10", "TOP", "1 10")]
    public void Parses_keyword_and_argument(string line, string keyword, string argument)
    {
        Assert.True(Pop3CommandLine.TryParse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(line)), out var command, out _));
        Assert.Equal(keyword, command!.Keyword);
        Assert.Equal(argument, command.Argument);
    }

    [Theory]
    [InlineData("")]
    [InlineData("TOOLONG")]
    [InlineData(" STAT")]
    [InlineData("ST-T")]
    [InlineData("USER a\tb")]
    [InlineData("USER a\u007fb")]
    public void Refuses_bad_lines(string line)
    {
        Assert.False(Pop3CommandLine.TryParse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(line)), out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Refuses_bytes_that_are_not_utf8()
    {
        Assert.False(Pop3CommandLine.TryParse(new ReadOnlySequence<byte>([.. "USER "u8, 0xC3, 0x28]), out _, out var error));
        Assert.Equal("Arguments must be UTF-8", error);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("0001", 1)]
    [InlineData("2147483647", 2147483647)]
    public void Message_numbers(string text, int value)
    {
        Assert.True(MessageNumber.TryParse(text, out var parsed));
        Assert.Equal(value, parsed);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("2147483648")]
    [InlineData("99999999999999999999")]
    [InlineData("1a")]
    [InlineData("")]
    [InlineData("１")]
    public void Bad_message_numbers(string text) => Assert.False(MessageNumber.TryParse(text, out _));
}
