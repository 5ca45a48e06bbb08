using System.Text;
using Rampart.Store.Mime;

namespace Rampart.Store.Tests.Mime;

/// <summary>The CRLF size counted at delivery (POP3 LIST/STAT, RFC 1939 §5), whole and in every split of chunks.</summary>
public sealed class WireSizeCounterTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("a", 3)]
    [InlineData("a\r\n", 3)]
    [InlineData("a\n", 3)]
    [InlineData("a\nb", 6)]
    [InlineData("a\r", 3)]
    [InlineData("a\rb\r\n", 5)]
    [InlineData("\n\n", 4)]
    [InlineData("\r\r\n", 3)]
    [InlineData("Subject: x\r\n\r\nbody\r\n", 20)]
    public void Counts_crlf_line_ends(string message, long expected)
    {
        var bytes = Encoding.ASCII.GetBytes(message);
        Assert.Equal(expected, WireSizeCounter.Count(bytes));
        // Any split into two chunks gives the same total (a CR may end one chunk and its LF start the next).
        for (var split = 0; split <= bytes.Length; split++)
        {
            var counter = new WireSizeCounter();
            counter.Add(bytes.AsSpan(0, split));
            counter.Add(bytes.AsSpan(split));
            Assert.Equal(expected, counter.Total);
        }
    }
}
