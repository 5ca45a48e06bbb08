using Rampart.Store.Mime;
using static Rampart.Store.Tests.Mime.MimeSamples;

namespace Rampart.Store.Tests.Mime;

/// <summary>BODYSTRUCTURE and part ranges (RFC 9051 §7.5.2, §6.4.5), checked against slices of the raw octets.</summary>
public class MessageStructureTests
{
    [Fact]
    public void Simple_text_message_is_one_text_plain_part()
    {
        var raw = Bytes(Simple);
        var m = Analyze(raw);
        var body = m.Body;
        Assert.Equal(("text", "plain"), (body.Type, body.Subtype));
        Assert.Equal([new("charset", "us-ascii")], body.Parameters);
        Assert.Equal("7BIT", body.Encoding);
        Assert.Equal(0, body.HeaderOffset);
        Assert.EndsWith("<abc@example.com>\r\n\r\n", Header(raw, body), StringComparison.Ordinal);
        Assert.Equal("Hello Bob,\r\nhow are you?\r\n", Body(raw, body));
        Assert.Equal(raw.Length, body.BodyOffset + body.BodyLength);
        Assert.Equal(2, body.Lines);
        Assert.Empty(body.Parts);
        Assert.Null(m.LimitHit);
    }

    [Fact]
    public void Nested_multipart_parts_slice_to_their_exact_octets()
    {
        var raw = Bytes(Nested);
        var top = Analyze(raw).Body;
        Assert.Equal(("multipart", "mixed"), (top.Type, top.Subtype));
        Assert.StartsWith("This is the preamble.\r\n--outer\r\n", Body(raw, top), StringComparison.Ordinal);
        Assert.EndsWith("--outer--\r\nepilogue\r\n", Body(raw, top), StringComparison.Ordinal);
        Assert.Equal(3, top.Parts.Count);

        var alternative = top.Parts[0];
        Assert.Equal(("multipart", "alternative"), (alternative.Type, alternative.Subtype));
        Assert.Equal("Content-Type: multipart/alternative; boundary=inner\r\n\r\n", Header(raw, alternative));
        Assert.StartsWith("--inner\r\n", Body(raw, alternative), StringComparison.Ordinal);
        Assert.EndsWith("--inner--\r\n", Body(raw, alternative), StringComparison.Ordinal);

        var plain = alternative.Parts[0];
        Assert.Equal(("text", "plain"), (plain.Type, plain.Subtype));
        Assert.Equal("QUOTED-PRINTABLE", plain.Encoding);
        Assert.Equal("Gr=C3=BC=C3=9Fe   aus\r\nBerlin", Body(raw, plain));
        Assert.Equal(plain.BodyLength, Body(raw, plain).Length);
        Assert.Equal(2, plain.Lines);
        Assert.Equal([new("charset", "utf-8")], plain.Parameters);

        // BODY[1.2]: the html part, without the CRLF that precedes the delimiter.
        var html = alternative.Parts[1];
        Assert.Equal("Content-Type: text/html; charset=\"us-ascii\"\r\n\r\n", Header(raw, html));
        Assert.Equal("<html><body><p>Hello <b>HTML</b> &amp; friends</p></body></html>", Body(raw, html));
        Assert.Equal(1, html.Lines);
        Assert.Equal("7BIT", html.Encoding);

        var pdf = top.Parts[1];
        Assert.Equal(("application", "pdf"), (pdf.Type, pdf.Subtype));
        Assert.Equal("BASE64", pdf.Encoding);
        Assert.Equal("JVBERi0xLjQKJcfs\r\nj6IKMSAwIG9iago=", Body(raw, pdf));
        Assert.Equal(34, pdf.BodyLength);
        Assert.Equal([new("name", "report.pdf")], pdf.Parameters);
        Assert.Equal("attachment", pdf.Disposition);
        Assert.Equal([new("filename", "réport.pdf")], pdf.DispositionParameters);
        Assert.Equal("<pdf1@example.com>", pdf.ContentId);
        Assert.Equal("The report", pdf.Description);
        Assert.Equal(["en", "de"], pdf.Languages);
        Assert.Equal("http://example.com/report.pdf", pdf.Location);
        Assert.Equal("Q2hlY2sgSW50ZWdyaXR5IQ==", pdf.Md5);

        var rfc822 = top.Parts[2];
        Assert.Equal(("message", "rfc822"), (rfc822.Type, rfc822.Subtype));
        Assert.StartsWith("From: Inner Sender", Body(raw, rfc822), StringComparison.Ordinal);
        Assert.EndsWith("--deep--", Body(raw, rfc822), StringComparison.Ordinal);
        Assert.Equal(13, rfc822.Lines);
        Assert.NotNull(rfc822.MessageEnvelope);
        Assert.Equal("Inner", rfc822.MessageEnvelope!.Subject);
        Assert.Equal("inner", rfc822.MessageEnvelope.From[0].Mailbox);

        var inner = rfc822.Message!;
        Assert.Equal(rfc822.BodyOffset, inner.HeaderOffset);
        Assert.EndsWith("boundary=\"deep\"\r\n\r\n", Header(raw, inner), StringComparison.Ordinal);
        Assert.Equal(("multipart", "mixed"), (inner.Type, inner.Subtype));
        Assert.Equal(2, inner.Parts.Count);

        // A part with no header at all: text/plain; charset=us-ascii, header is the blank line only.
        var noHeader = inner.Parts[0];
        Assert.Equal("\r\n", Header(raw, noHeader));
        Assert.Equal(("text", "plain"), (noHeader.Type, noHeader.Subtype));
        Assert.Equal([new("charset", "us-ascii")], noHeader.Parameters);
        Assert.Equal("first inner part", Body(raw, noHeader));
        Assert.Equal("second inner part\r\ntwo lines", Body(raw, inner.Parts[1]));
        Assert.Equal(2, inner.Parts[1].Lines);
    }

    [Fact]
    public void Bare_lf_message_has_the_same_structure_with_lf_offsets()
    {
        var raw = Bytes(Lf(Nested));
        var top = Analyze(raw).Body;
        var html = top.Parts[0].Parts[1];
        Assert.Equal("Content-Type: text/html; charset=\"us-ascii\"\n\n", Header(raw, html));
        Assert.Equal("<html><body><p>Hello <b>HTML</b> &amp; friends</p></body></html>", Body(raw, html));
        Assert.Equal("JVBERi0xLjQKJcfs\nj6IKMSAwIG9iago=", Body(raw, top.Parts[1]));
        Assert.Equal(33, top.Parts[1].BodyLength);
        Assert.Equal("second inner part\ntwo lines", Body(raw, top.Parts[2].Message!.Parts[1]));
    }

    [Fact]
    public void Digest_children_default_to_message_rfc822()
    {
        const string digest =
            "Content-Type: multipart/digest; boundary=d\r\n\r\n" +
            "--d\r\n\r\nFrom: one@example.com\r\nSubject: one\r\n\r\nbody one\r\n" +
            "--d\r\nContent-Type: text/plain\r\n\r\nplain\r\n" +
            "--d--\r\n";
        var top = Analyze(digest).Body;
        Assert.Equal(("message", "rfc822"), (top.Parts[0].Type, top.Parts[0].Subtype));
        Assert.Equal("one", top.Parts[0].MessageEnvelope!.Subject);
        Assert.Equal("body one", Body(Bytes(digest), top.Parts[0].Message!));
        Assert.Equal(("text", "plain"), (top.Parts[1].Type, top.Parts[1].Subtype));
    }

    [Fact]
    public void Offsets_count_from_the_stream_position()
    {
        var prefix = "GARBAGE BEFORE\r\n"u8.ToArray();
        var message = Bytes(Simple);
        using var stream = new MemoryStream([.. prefix, .. message]);
        stream.Position = prefix.Length;
        var m = MessageAnalyzer.Analyze(stream);
        Assert.Equal("Hello Bob,\r\nhow are you?\r\n", Body(message, m.Body));
        Assert.Equal("Hello Bob, how are you?", m.Preview);
    }

    [Fact]
    public void A_header_cut_short_by_an_outer_boundary_stays_inside_its_parent()
    {
        // Found by the mime fuzz target: an inner multipart closed by the outer boundary, whose last child has a
        // header and no blank line. The child's header must end before the delimiter's CRLF (RFC 2046 §5.1.1).
        var raw = System.Text.Encoding.ASCII.GetBytes(
            "Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n" +
            "--b\r\nContent-Type: text/plain\r\n--a--\r\n");
        using var stream = new MemoryStream(raw);
        var m = MessageAnalyzer.Analyze(stream);
        var inner = Assert.Single(m.Body.Parts);
        var leaf = Assert.Single(inner.Parts);
        Assert.True(leaf.HeaderOffset >= inner.BodyOffset);
        Assert.True(leaf.HeaderOffset + leaf.HeaderLength <= inner.BodyOffset + inner.BodyLength, $"header ends at {leaf.HeaderOffset + leaf.HeaderLength}, parent body at {inner.BodyOffset + inner.BodyLength}");
        Assert.True(leaf.BodyOffset + leaf.BodyLength <= inner.BodyOffset + inner.BodyLength);
        Assert.Equal(0, leaf.BodyLength);
        Assert.Equal("Content-Type: text/plain", System.Text.Encoding.ASCII.GetString(raw, (int)leaf.HeaderOffset, (int)leaf.HeaderLength));
    }
}
