using System.Buffers;
using System.Text;
using Rampart.Smtp.Protocol;

namespace Rampart.Smtp.Tests.Protocol;

/// <summary>MAIL/RCPT arguments (RFC 5321 §4.1.2, RFC 6531 §3.3) and command lines.</summary>
public sealed class SmtpPathTests
{
    [Theory]
    [InlineData("FROM:<alice@example.test>", "alice", "example.test")]
    [InlineData("from: <Alice@Example.TEST>", "Alice", "example.test")]
    [InlineData("FROM:<\"john doe\"@example.test>", "john doe", "example.test")]
    [InlineData("FROM:<\"a\\\"b\"@example.test>", "a\"b", "example.test")]
    [InlineData("FROM:<@relay.test,@other.test:bob@example.test>", "bob", "example.test")]
    [InlineData("FROM:<user@[192.0.2.1]>", "user", "[192.0.2.1]")]
    [InlineData("FROM:<user@[IPv6:2001:db8::1]>", "user", "[IPv6:2001:db8::1]")]
    [InlineData("FROM:<用户@例子.测试>", "用户", "例子.测试")]
    public void Parses_mailboxes(string arguments, string local, string domain)
    {
        Assert.True(SmtpPath.TryParse(arguments, "FROM:", allowNull: true, out var path, out var error), error);
        Assert.Equal(local, path!.Address!.LocalPart);
        Assert.Equal(domain, path.Address.Domain);
    }

    [Fact]
    public void Parses_the_null_path_and_parameters()
    {
        Assert.True(SmtpPath.TryParse("FROM:<> SIZE=1000 BODY=8BITMIME SMTPUTF8", "FROM:", allowNull: true, out var path, out _));
        Assert.Null(path!.Address);
        Assert.Equal("1000", path.Get("SIZE", out var present));
        Assert.True(present);
        Assert.Null(path.Get("SMTPUTF8", out present));
        Assert.True(present);
        Assert.False(SmtpPath.TryParse("TO:<>", "TO:", allowNull: false, out _, out _));
    }

    [Theory]
    [InlineData("FROM:alice@example.test")]
    [InlineData("FROM:<alice@example.test")]
    [InlineData("FROM:<alice>")]
    [InlineData("FROM:<alice@>")]
    [InlineData("FROM:<.alice@example.test>")]
    [InlineData("FROM:<al..ice@example.test>")]
    [InlineData("FROM:<alice@exa mple.test>")]
    [InlineData("FROM:<alice@example..test>")]
    [InlineData("FROM:<alice@[300.1.1.1]>")]
    [InlineData("FROM:<alice@example.test>SIZE=1")]
    [InlineData("FROM:<alice@example.test> SIZE=")]
    [InlineData("FROM:<alice@example.test> SIZE=1 SIZE=2")]
    [InlineData("TO:<alice@example.test>")]
    public void Refuses_malformed_paths(string arguments)
    {
        Assert.False(SmtpPath.TryParse(arguments, "FROM:", allowNull: true, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void A_local_part_over_64_octets_is_refused() =>
        Assert.False(SmtpAddress.TryParse(new string('a', 65) + "@example.test", out _, out _));

    [Theory]
    [InlineData("mail from:<a@b>", "MAIL", "from:<a@b>")]
    [InlineData("QUIT", "QUIT", "")]
    [InlineData("ehlo client.test", "EHLO", "client.test")]
    public void Splits_command_lines(string line, string verb, string arguments)
    {
        Assert.True(SmtpCommandLine.TryParse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(line)), out var command, out _));
        Assert.Equal(verb, command!.Verb);
        Assert.Equal(arguments, command.Arguments);
    }

    [Theory]
    [InlineData(new byte[] { 0x4d, 0x41, 0x49, 0x4c, 0x20, 0xff })]
    [InlineData(new byte[] { 0x4d, 0x41, 0x49, 0x4c, 0x20, 0x1b, 0x5b })]
    [InlineData(new byte[] { 0x31, 0x32, 0x33 })]
    public void Refuses_garbage_command_lines(byte[] line) =>
        Assert.False(SmtpCommandLine.TryParse(new ReadOnlySequence<byte>(line), out _, out _));

    [Fact]
    public void Reply_text_cannot_inject_a_line()
    {
        var output = new ArrayBufferWriter<byte>();
        SmtpReply.Write(output, 550, "5.1.1", "<evil\r\n250 ok>");
        Assert.Equal("550 5.1.1 <evil??250 ok>\r\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
