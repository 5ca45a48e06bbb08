using System.Text;
using Rampart.Store.Mime;
using static Rampart.Store.Tests.Mime.MimeSamples;

namespace Rampart.Store.Tests.Mime;

/// <summary>SECURITY.md M05 (deep and wide MIME) and M06 (huge address headers), and hostile input in general.</summary>
public class MimeLimitTests
{
    private static MessageMetadata AnalyzeOnNewThread(byte[] raw, MimeLimits? limits = null)
    {
        // A thread with the default stack: the analyzer must not need a bigger one however deep the input is.
        MessageMetadata? result = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = Analyze(raw, limits);
            }
            catch (Exception ex)
            {
                error = ex;
            }
        });
        thread.Start();
        thread.Join();
        Assert.Null(error);
        return result!;
    }

    [Fact]
    public void Ten_thousand_nested_multiparts_are_cut_at_max_depth()
    {
        const int levels = 10_000;
        var text = new StringBuilder("Content-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n");
        for (int i = 1; i < levels; i++)
        {
            text.Append("--b").Append(i - 1).Append("\r\nContent-Type: multipart/mixed; boundary=\"b").Append(i).Append("\"\r\n\r\n");
        }

        text.Append("--b").Append(levels - 1).Append("\r\n\r\nleaf\r\n");
        for (int i = levels - 1; i >= 0; i--)
        {
            text.Append("--b").Append(i).Append("--\r\n");
        }

        var raw = Bytes(text.ToString());
        var m = AnalyzeOnNewThread(raw);
        Assert.Equal("depth>100", m.LimitHit);

        int depth = 1;
        var part = m.Body;
        while (part.Parts.Count > 0)
        {
            part = part.Parts[0];
            depth++;
        }

        Assert.Equal(100, depth);
        Assert.Equal(("application", "octet-stream"), (part.Type, part.Subtype));
        Assert.StartsWith("--b99\r\n", Body(raw, part), StringComparison.Ordinal);

        // The metadata of a deep message still serializes (the JSON writer has its own depth limit of 64).
        var copy = MessageMetadataSerializer.Deserialize(MessageMetadataSerializer.Serialize(m));
        Assert.Equal(m.LimitHit, copy.LimitHit);
    }

    [Fact]
    public void Nested_messages_count_towards_depth()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 500; i++)
        {
            text.Append("Subject: level ").Append(i).Append("\r\nContent-Type: message/rfc822\r\n\r\n");
        }

        text.Append("Subject: bottom\r\n\r\nbottom\r\n");
        var m = AnalyzeOnNewThread(Bytes(text.ToString()), new MimeLimits { MaxDepth = 10 });
        Assert.Equal("depth>10", m.LimitHit);
        int depth = 1;
        var part = m.Body;
        while (part.Message is not null)
        {
            part = part.Message;
            depth++;
        }

        Assert.Equal(10, depth);
        Assert.Equal("application", part.Type);
    }

    [Fact]
    public void A_hundred_thousand_parts_are_capped()
    {
        var text = new StringBuilder("Content-Type: multipart/mixed; boundary=x\r\n\r\n");
        for (int i = 0; i < 100_000; i++)
        {
            text.Append("--x\r\n\r\np\r\n");
        }

        text.Append("--x--\r\n");
        var raw = Bytes(text.ToString());
        var m = AnalyzeOnNewThread(raw);
        Assert.Equal("parts>10000", m.LimitHit);
        Assert.Equal(9_999, m.Body.Parts.Count);
        Assert.Equal(raw.Length, m.Body.BodyOffset + m.Body.BodyLength);
        Assert.Equal("p", Body(raw, m.Body.Parts[^1]));
    }

    [Theory]
    [InlineData(",\r\n ")]
    [InlineData(", ")]
    public void Half_a_million_addresses_are_capped(string separator)
    {
        var text = new StringBuilder("From: a@example.com\r\nTo: ");
        for (int i = 0; i < 500_000; i++)
        {
            if (i > 0)
            {
                text.Append(separator);
            }

            text.Append("user").Append(i).Append("@example.com");
        }

        text.Append("\r\nSubject: many\r\n\r\nbody\r\n");
        var raw = Bytes(text.ToString());
        var m = AnalyzeOnNewThread(raw);
        Assert.Equal("addresses>1000", m.LimitHit);
        Assert.True(m.Envelope.To.Count <= 1000);
        Assert.Equal("user0", m.Envelope.To[0].Mailbox);
        Assert.Equal("many", m.Envelope.Subject);
        Assert.Equal("body\r\n", Body(raw, m.Body));
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(20240601);
        string[] fragments = ["\r\n", "\n", "--b\r\n", "--b--\r\n", "Content-Type: multipart/mixed; boundary=b\r\n",
            "Content-Type: message/rfc822\r\n", "Content-Transfer-Encoding: base64\r\n", "To: a@b, \"x\r\n", "=?utf-8?q?\r\n",
            ": \r\n", " folded\r\n", "\0\xff\r", "Content-Type: text/html; charset=bogus\r\n", "<p>"];
        for (int round = 0; round < 300; round++)
        {
            var raw = new List<byte>();
            int pieces = random.Next(1, 60);
            for (int i = 0; i < pieces; i++)
            {
                if (random.Next(3) == 0)
                {
                    var noise = new byte[random.Next(1, 40)];
                    random.NextBytes(noise);
                    raw.AddRange(noise);
                }
                else
                {
                    raw.AddRange(Encoding.Latin1.GetBytes(fragments[random.Next(fragments.Length)]));
                }
            }

            var bytes = raw.ToArray();
            var m = Analyze(bytes);
            AssertRangesInside(m.Body, bytes.Length);
            MessageMetadataSerializer.Deserialize(MessageMetadataSerializer.Serialize(m));
        }

        var empty = Analyze([]);
        Assert.Equal(0, empty.Body.BodyLength);
    }

    private static void AssertRangesInside(BodyPart part, long length)
    {
        var pending = new Stack<BodyPart>([part]);
        while (pending.Count > 0)
        {
            var p = pending.Pop();
            Assert.InRange(p.HeaderOffset, 0, length);
            Assert.Equal(p.HeaderOffset + p.HeaderLength, p.BodyOffset);
            Assert.InRange(p.BodyLength, 0, length - p.BodyOffset);
            Assert.True(p.Lines >= 0);
            foreach (var child in p.Parts)
            {
                pending.Push(child);
            }

            if (p.Message is not null)
            {
                pending.Push(p.Message);
            }
        }
    }

    [Fact]
    public void A_large_message_from_a_file_is_read_in_bounded_memory()
    {
        string path = Path.GetTempFileName();
        try
        {
            using (var file = File.Create(path))
            {
                file.Write("Subject: big\r\nContent-Type: text/plain\r\n\r\n"u8);
                var line = Encoding.ASCII.GetBytes(new string('y', 998) + "\r\n");
                for (int i = 0; i < 20_000; i++)
                {
                    file.Write(line);
                }
            }

            using var stream = File.OpenRead(path);
            var m = MessageAnalyzer.Analyze(stream, new MimeLimits { MaxIndexedTextChars = 10_000 });
            Assert.Equal(20_000, m.Body.Lines);
            Assert.Equal(20_000 * 1000, m.Body.BodyLength);
            Assert.Equal(10_000, m.BodyText.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Cancellation_is_honoured()
    {
        var raw = Bytes("\r\n" + string.Concat(Enumerable.Repeat("line\r\n", 10_000)));
        using var stream = new MemoryStream(raw);
        Assert.ThrowsAny<OperationCanceledException>(() => MessageAnalyzer.Analyze(stream, null, new CancellationToken(canceled: true)));
    }
}
