using System.Buffers;
using System.Text;
using Rampart.Store.Mime;

namespace Rampart.Imap.Tests.Rendering;

/// <summary>Real message bytes analyzed by the store, so that every offset the rendering code uses is a real one.</summary>
internal static class RenderingSamples
{
    /// <summary>multipart/mixed holding multipart/alternative (QP text/plain, text/html), a base64 attachment and a
    /// message/rfc822 with a folded field; a group in To; quotes and a backslash in the From name and Subject.</summary>
    public const string Nested =
        "From: \"Alice \\\"A\\\" Smith\" <alice@example.com>\r\n" +
        "To: Team: bob@example.com, carol@example.com;, dave@example.org\r\n" +
        "Subject: Report \\ \"quoted\"\r\n" +
        "Date: Mon, 7 Feb 1994 21:52:25 -0800\r\n" +
        "Message-ID: <1@example.com>\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=\"outer\"\r\n" +
        "\r\n" +
        "preamble\r\n" +
        "--outer\r\n" +
        "Content-Type: multipart/alternative; boundary=\"inner\"\r\n" +
        "\r\n" +
        "--inner\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: quoted-printable\r\n" +
        "\r\n" +
        "Hello =C3=A9 world\r\n" +
        "--inner\r\n" +
        "Content-Type: text/html; charset=utf-8\r\n" +
        "\r\n" +
        "<p>Hello</p>\r\n" +
        "--inner--\r\n" +
        "--outer\r\n" +
        "Content-Type: application/octet-stream; name=\"a.bin\"\r\n" +
        "Content-Transfer-Encoding: base64\r\n" +
        "Content-Disposition: attachment; filename=\"a.bin\"\r\n" +
        "\r\n" +
        "AAECAw==\r\n" +
        "--outer\r\n" +
        "Content-Type: message/rfc822\r\n" +
        "\r\n" +
        "From: bob@example.com\r\n" +
        "Subject: inner\r\n" +
        "X-Folded: one\r\n" +
        " two\r\n" +
        "\r\n" +
        "Inner body\r\n" +
        "--outer--\r\n" +
        "epilogue\r\n";

    public const string Simple =
        "From: Carol <carol@example.com>\r\n" +
        "To: bob@example.com\r\n" +
        "Subject: Hi\r\n" +
        "Content-Type: text/plain; charset=us-ascii\r\n" +
        "\r\n" +
        "Line one\r\n" +
        "Line two\r\n";

    public static (MessageMetadata Metadata, byte[] Raw) Analyze(string message) => Analyze(Encoding.UTF8.GetBytes(message));

    public static (MessageMetadata Metadata, byte[] Raw) Analyze(byte[] raw)
    {
        using var stream = new MemoryStream(raw, writable: false);
        return (MessageAnalyzer.Analyze(stream), raw);
    }

    public static string Render(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
