using System.Buffers;
using System.Text;
using Rampart.Pop3.Protocol;

namespace Rampart.Pop3.Tests.Protocol;

/// <summary>RFC 1939 §3 multi-line encoding: CRLF, byte-stuffing, TOP limits, and sizes that equal what is sent.</summary>
public sealed class MessageEncoderTests
{
    [Theory]
    [InlineData("a\r\nb\r\n", "a\r\nb\r\n")]
    [InlineData("a\nb\n", "a\r\nb\r\n")]
    [InlineData("a\nb", "a\r\nb\r\n")]
    [InlineData(".a\r\n..b\r\nc.\r\n", "..a\r\n...b\r\nc.\r\n")]
    [InlineData(".\n", "..\r\n")]
    [InlineData("a\rb\r\n", "a\rb\r\n")]
    [InlineData("a\r", "a\r\n")]
    [InlineData("", "")]
    [InlineData("\n\n", "\r\n\r\n")]
    public void Encodes_line_ends_and_stuffing(string stored, string wire)
    {
        Assert.Equal(wire, Encode(stored, chunk: int.MaxValue));
        // Every split point gives the same bytes: a CR at a chunk end, a dot at a chunk start.
        for (var chunk = 1; chunk <= Math.Max(1, stored.Length); chunk++)
        {
            Assert.Equal(wire, Encode(stored, chunk));
        }
    }

    [Theory]
    [InlineData("a\nb", 6)]
    [InlineData(".a\r\n", 4)]
    [InlineData("x\r\n\r\n.\n", 8)]
    public void Wire_size_is_the_unstuffed_crlf_size(string stored, long size)
    {
        var bytes = Encoding.ASCII.GetBytes(stored);
        Assert.Equal(size, MessageEncoder.CountWireSize(bytes));
        // What RETR sends, minus the stuffing dots, is exactly that size.
        var sent = Encode(stored, int.MaxValue);
        var stuffing = sent.Split("\r\n").Count(l => l.StartsWith('.'));
        Assert.Equal(size, sent.Length - stuffing);
    }

    [Theory]
    [InlineData(0, "H: 1\r\n\r\n")]
    [InlineData(1, "H: 1\r\n\r\n..b1\r\n")]
    [InlineData(2, "H: 1\r\n\r\n..b1\r\nb2\r\n")]
    [InlineData(9, "H: 1\r\n\r\n..b1\r\nb2\r\n\r\nb4\r\n")]
    public void Top_sends_the_header_the_blank_line_and_n_body_lines(int lines, string expected)
    {
        var encoder = new MessageEncoder(dotStuff: true, lines);
        var output = new ArrayBufferWriter<byte>();
        encoder.Encode("H: 1\n\n.b1\nb2\n\nb4\n"u8, output);
        encoder.Finish(output);
        Assert.Equal(expected, Encoding.ASCII.GetString(output.WrittenSpan));
        Assert.Equal(lines < 4, encoder.IsComplete);
    }

    [Fact]
    public void Top_of_a_message_without_a_body_sends_it_all()
    {
        var encoder = new MessageEncoder(dotStuff: true, 0);
        var output = new ArrayBufferWriter<byte>();
        encoder.Encode("H: 1\nJ: 2"u8, output);
        encoder.Finish(output);
        Assert.Equal("H: 1\r\nJ: 2\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Random_messages_round_trip_through_a_pop3_reader()
    {
        var random = new Random(1939);
        byte[] alphabet = "ab.\r\n \t"u8.ToArray();
        for (var round = 0; round < 2000; round++)
        {
            var stored = new byte[random.Next(0, 60)];
            for (var i = 0; i < stored.Length; i++)
            {
                stored[i] = alphabet[random.Next(alphabet.Length)];
            }

            var text = Encoding.ASCII.GetString(stored);
            var wire = Encode(text, random.Next(1, 8));
            Assert.True(wire.Length == 0 || wire.EndsWith("\r\n", StringComparison.Ordinal), text);
            Assert.DoesNotContain("\r\n.\r\n", "\r\n" + wire, StringComparison.Ordinal);
            // A client un-stuffs and gets the stored lines back with CRLF.
            var lines = wire.Length == 0 ? [] : wire[..^2].Split("\r\n");
            var unstuffed = string.Concat(lines.Select(l => (l.StartsWith('.') ? l[1..] : l) + "\r\n"));
            Assert.Equal(MessageEncoder.CountWireSize(stored), unstuffed.Length);
        }
    }

    private static string Encode(string stored, int chunk)
    {
        var bytes = Encoding.ASCII.GetBytes(stored);
        var encoder = new MessageEncoder();
        var output = new ArrayBufferWriter<byte>();
        for (var i = 0; i < bytes.Length; i += chunk)
        {
            encoder.Encode(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)), output);
        }

        encoder.Finish(output);
        return Encoding.ASCII.GetString(output.WrittenSpan);
    }
}
