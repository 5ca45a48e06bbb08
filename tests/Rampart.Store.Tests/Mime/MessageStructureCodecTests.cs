using Rampart.Store.Mime;
using static Rampart.Store.Tests.Mime.MessageMetadataSerializerTests;
using static Rampart.Store.Tests.Mime.MimeSamples;

namespace Rampart.Store.Tests.Mime;

public class MessageStructureCodecTests
{
    [Fact]
    public void Round_trip_keeps_envelope_body_structure_and_preview()
    {
        var original = Analyze(Nested);
        var (envelope, body, preview) = MessageStructureCodec.Decode(MessageStructureCodec.Encode(original));
        AssertDeepEqual(original.Envelope, envelope, "envelope");
        AssertDeepEqual(original.Body, body, "body");
        Assert.Equal(original.Preview, preview);
        Assert.NotEmpty(original.Body.Parts);
    }

    [Fact]
    public void Round_trip_keeps_nulls_empty_strings_groups_and_non_ascii()
    {
        var original = Analyze(
            "Subject: \r\nFrom: =?utf-8?q?J=C3=B6rg?= <j@example.com>\r\nTo: team: a@example.com, b@example.com;\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n\r\nGrüße\r\n");
        var (envelope, body, preview) = MessageStructureCodec.Decode(MessageStructureCodec.Encode(original));
        AssertDeepEqual(original.Envelope, envelope, "envelope");
        AssertDeepEqual(original.Body, body, "body");
        Assert.Equal(original.Preview, preview);
        Assert.Null(envelope.Date);
        Assert.Equal(4, envelope.To.Count);
    }

    [Fact]
    public void Encoding_is_far_smaller_than_the_full_metadata()
    {
        var original = Analyze(Nested);
        Assert.True(MessageStructureCodec.Encode(original).Length < MessageMetadataSerializer.Serialize(original).Length / 2);
    }

    [Fact]
    public void Damaged_bytes_are_refused_with_invalid_data()
    {
        var good = MessageStructureCodec.Encode(Analyze(Nested));
        Assert.Throws<InvalidDataException>(() => MessageStructureCodec.Decode([]));
        Assert.Throws<InvalidDataException>(() => MessageStructureCodec.Decode([2]));
        // Every truncation is caught, never an index error or a partial structure.
        for (var length = 1; length < good.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => MessageStructureCodec.Decode(good.AsSpan(0, length)));
        }

        Assert.Throws<InvalidDataException>(() => MessageStructureCodec.Decode([.. good, 0]));
        // A count far beyond the bytes left.
        Assert.Throws<InvalidDataException>(() => MessageStructureCodec.Decode([1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f]));
    }

    [Fact]
    public void Nesting_past_the_limit_is_refused()
    {
        // A chain of single-part multiparts, each part's only child the next: type "a", subtype "b", no fields.
        static byte[] Chain(int depth)
        {
            var bytes = new List<byte> { 1 };
            bytes.AddRange(new byte[10]); // an envelope of nulls and empty lists
            for (var i = 0; i <= depth; i++)
            {
                bytes.AddRange([2, (byte)'a', 2, (byte)'b', 0, 0, 0, 2, (byte)'7', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
                bytes.Add(i < depth ? (byte)1 : (byte)0); // child count
            }

            for (var i = 0; i <= depth; i++)
            {
                bytes.Add(0); // no embedded message
            }

            bytes.Add(0); // null preview decodes as empty
            return [.. bytes];
        }

        var (_, body, _) = MessageStructureCodec.Decode(Chain(10));
        Assert.Single(body.Parts);
        Assert.Throws<InvalidDataException>(() => MessageStructureCodec.Decode(Chain(MessageStructureCodec.MaxNesting + 1)));
    }
}
