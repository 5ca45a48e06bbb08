using Rampart.Imap.Rendering;
using Rampart.Store.Mime;

namespace Rampart.Imap.Tests.Rendering;

public class EnvelopeWriterTests
{
    [Fact]
    public void Nested_message_envelope_has_group_markers_and_escaped_strings()
    {
        var (metadata, _) = RenderingSamples.Analyze(RenderingSamples.Nested);
        string text = RenderingSamples.Render(o => EnvelopeWriter.Write(o, metadata.Envelope));

        // RFC 9051 §7.5.2: sender and reply-to default to from; a group is (NIL NIL name NIL) … (NIL NIL NIL NIL).
        const string from = "((\"Alice \\\"A\\\" Smith\" NIL \"alice\" \"example.com\"))";
        Assert.Equal(
            "(\"Mon, 7 Feb 1994 21:52:25 -0800\" \"Report \\\\ \\\"quoted\\\"\" " + from + " " + from + " " + from + " " +
            "((NIL NIL \"Team\" NIL)(NIL NIL \"bob\" \"example.com\")(NIL NIL \"carol\" \"example.com\")(NIL NIL NIL NIL)" +
            "(NIL NIL \"dave\" \"example.org\")) NIL NIL NIL \"<1@example.com>\")",
            text);
    }

    [Fact]
    public void Absent_fields_and_empty_lists_are_nil()
    {
        var (metadata, _) = RenderingSamples.Analyze("X-Nothing: here\r\n\r\nbody\r\n");
        Assert.Equal("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)", RenderingSamples.Render(o => EnvelopeWriter.Write(o, metadata.Envelope)));
    }

    [Fact]
    public void Eight_bit_subject_is_a_literal_unless_utf8_is_allowed()
    {
        var (metadata, _) = RenderingSamples.Analyze("Subject: Grüße\r\nFrom: Jörg <j@example.com>\r\n\r\nx\r\n");
        string legacy = RenderingSamples.Render(o => EnvelopeWriter.Write(o, metadata.Envelope, utf8Allowed: false));
        string utf8 = RenderingSamples.Render(o => EnvelopeWriter.Write(o, metadata.Envelope, utf8Allowed: true));

        // "Grüße" is 7 octets of UTF-8; the display name is carried as an encoded-word by the store.
        Assert.StartsWith("(NIL {7}\r\nGrüße ((\"=?utf-8?", legacy, StringComparison.Ordinal);
        Assert.StartsWith("(NIL \"Grüße\" ((\"=?utf-8?", utf8, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_and_crlf_values_are_written_safely()
    {
        var envelope = new Envelope(
            "d", "line\r\nbreak", [new EnvelopeAddress("N", "@relay.example", "box", "host")], [], [], [], [], [], null, null);
        string text = RenderingSamples.Render(o => EnvelopeWriter.Write(o, envelope));
        Assert.Equal("(\"d\" {11}\r\nline\r\nbreak ((\"N\" \"@relay.example\" \"box\" \"host\")) NIL NIL NIL NIL NIL NIL NIL)", text);
    }
}
