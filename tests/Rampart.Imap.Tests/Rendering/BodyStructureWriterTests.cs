using Rampart.Imap.Rendering;

namespace Rampart.Imap.Tests.Rendering;

public class BodyStructureWriterTests
{
    // Sizes and lines counted by hand from RenderingSamples.Nested (the CRLF before a boundary belongs to the
    // boundary, RFC 2046 §5.1.1): text/plain 18 octets, text/html 12, attachment 8, the embedded message 72 octets
    // in 6 lines, its body 10.
    private const string InnerEnvelope =
        "(NIL \"inner\" ((NIL NIL \"bob\" \"example.com\")) ((NIL NIL \"bob\" \"example.com\")) ((NIL NIL \"bob\" \"example.com\")) NIL NIL NIL NIL NIL)";

    [Fact]
    public void Bodystructure_of_nested_message_has_extension_data()
    {
        var (metadata, _) = RenderingSamples.Analyze(RenderingSamples.Nested);
        string text = RenderingSamples.Render(o => BodyStructureWriter.Write(o, metadata.Body, extensible: true));
        Assert.Equal(
            "(((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"QUOTED-PRINTABLE\" 18 1 NIL NIL NIL NIL)" +
            "(\"TEXT\" \"HTML\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 12 1 NIL NIL NIL NIL)" +
            " \"ALTERNATIVE\" (\"BOUNDARY\" \"inner\") NIL NIL NIL)" +
            "(\"APPLICATION\" \"OCTET-STREAM\" (\"NAME\" \"a.bin\") NIL NIL \"BASE64\" 8 NIL (\"ATTACHMENT\" (\"FILENAME\" \"a.bin\")) NIL NIL)" +
            "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 72 " + InnerEnvelope +
            " (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 10 1 NIL NIL NIL NIL) 6 NIL NIL NIL NIL)" +
            " \"MIXED\" (\"BOUNDARY\" \"outer\") NIL NIL NIL)",
            text);
    }

    [Fact]
    public void Body_of_nested_message_has_no_extension_data()
    {
        var (metadata, _) = RenderingSamples.Analyze(RenderingSamples.Nested);
        string text = RenderingSamples.Render(o => BodyStructureWriter.Write(o, metadata.Body, extensible: false));
        Assert.Equal(
            "(((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"QUOTED-PRINTABLE\" 18 1)" +
            "(\"TEXT\" \"HTML\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 12 1) \"ALTERNATIVE\")" +
            "(\"APPLICATION\" \"OCTET-STREAM\" (\"NAME\" \"a.bin\") NIL NIL \"BASE64\" 8)" +
            "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 72 " + InnerEnvelope +
            " (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 10 1) 6) \"MIXED\")",
            text);
    }

    [Fact]
    public void Simple_text_message()
    {
        var (metadata, _) = RenderingSamples.Analyze(RenderingSamples.Simple);
        Assert.Equal(
            "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 20 2 NIL NIL NIL NIL)",
            RenderingSamples.Render(o => BodyStructureWriter.Write(o, metadata.Body, extensible: true)));
    }

    [Fact]
    public void Id_description_md5_language_location_and_8bit_parameter()
    {
        var (metadata, _) = RenderingSamples.Analyze(
            "Content-Type: image/png; name=\"Bild-ä.png\"\r\n" +
            "Content-ID: <img1@example.com>\r\n" +
            "Content-Description: a \"small\" picture\r\n" +
            "Content-Transfer-Encoding: base64\r\n" +
            "Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\r\n" +
            "Content-Disposition: inline\r\n" +
            "Content-Language: en, de\r\n" +
            "Content-Location: http://example.com/x.png\r\n" +
            "\r\n" +
            "iVBORw0K\r\n");
        string legacy = RenderingSamples.Render(o => BodyStructureWriter.Write(o, metadata.Body, extensible: true));
        Assert.Equal(
            "(\"IMAGE\" \"PNG\" (\"NAME\" {11}\r\nBild-ä.png) \"<img1@example.com>\" \"a \\\"small\\\" picture\" \"BASE64\" 10" +
            " \"Q2hlY2sgSW50ZWdyaXR5IQ==\" (\"INLINE\" NIL) (\"en\" \"de\") \"http://example.com/x.png\")",
            legacy);
        string utf8 = RenderingSamples.Render(o => BodyStructureWriter.Write(o, metadata.Body, extensible: true, utf8Allowed: true));
        Assert.Contains("(\"NAME\" \"Bild-ä.png\")", utf8, StringComparison.Ordinal);
    }
}
