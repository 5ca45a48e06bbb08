using System.Text;
using Rampart.Store.Mime;

namespace Rampart.Store.Tests.Mime;

/// <summary>Messages used by the MIME tests, and a way to analyze them.</summary>
internal static class MimeSamples
{
    public const string Simple =
        "Return-Path: <alice@example.com>\r\n" +
        "Date: Mon, 7 Feb 1994 21:52:25 -0800\r\n" +
        "From: Alice Example <alice@example.com>\r\n" +
        "To: Bob <bob@example.org>\r\n" +
        "Subject: Re: [list] Hello\r\n" +
        "  world\r\n" +
        "Message-ID: <abc@example.com>\r\n" +
        "\r\n" +
        "Hello Bob,\r\n" +
        "how are you?\r\n";

    /// <summary>multipart/mixed: (1) multipart/alternative (1.1 text/plain, 1.2 text/html), (2) base64 attachment,
    /// (3) message/rfc822 holding a multipart (3.1 text/plain, 3.2 text/plain).</summary>
    public const string Nested =
        "From: \"Doe, John\" <john@example.com>\r\n" +
        "To: Team: ann@example.com, =?UTF-8?Q?J=C3=B6rg?= <joerg@example.de>;, carol@example.net\r\n" +
        "Cc: undisclosed-recipients:;\r\n" +
        "Subject: =?UTF-8?B?R3LDvMOfZQ==?= and more\r\n" +
        "Date: Tue, 1 Apr 2025 10:00:00 +0200\r\n" +
        "Message-ID: <outer@example.com>\r\n" +
        "In-Reply-To: <parent@example.com>\r\n" +
        "References: <root@example.com> <parent@example.com>\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=\"outer\"\r\n" +
        "\r\n" +
        "This is the preamble.\r\n" +
        "--outer\r\n" +
        "Content-Type: multipart/alternative; boundary=inner\r\n" +
        "\r\n" +
        "--inner\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: quoted-printable\r\n" +
        "\r\n" +
        "Gr=C3=BC=C3=9Fe   aus\r\n" +
        "Berlin\r\n" +
        "--inner\r\n" +
        "Content-Type: text/html; charset=\"us-ascii\"\r\n" +
        "\r\n" +
        "<html><body><p>Hello <b>HTML</b> &amp; friends</p></body></html>\r\n" +
        "--inner--\r\n" +
        "\r\n" +
        "--outer\r\n" +
        "Content-Type: application/pdf; name=\"report.pdf\"\r\n" +
        "Content-Transfer-Encoding: base64\r\n" +
        "Content-Disposition: attachment;\r\n" +
        " filename*=UTF-8''r%C3%A9port.pdf\r\n" +
        "Content-ID: <pdf1@example.com>\r\n" +
        "Content-Description: The report\r\n" +
        "Content-Language: en, de\r\n" +
        "Content-Location: http://example.com/report.pdf\r\n" +
        "Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\r\n" +
        "\r\n" +
        "JVBERi0xLjQKJcfs\r\n" +
        "j6IKMSAwIG9iago=\r\n" +
        "--outer\r\n" +
        "Content-Type: message/rfc822\r\n" +
        "\r\n" +
        "From: Inner Sender <inner@example.com>\r\n" +
        "Subject: Inner\r\n" +
        "Content-Type: multipart/mixed; boundary=\"deep\"\r\n" +
        "\r\n" +
        "--deep\r\n" +
        "\r\n" +
        "first inner part\r\n" +
        "--deep\r\n" +
        "Content-Type: text/plain\r\n" +
        "\r\n" +
        "second inner part\r\n" +
        "two lines\r\n" +
        "--deep--\r\n" +
        "--outer--\r\n" +
        "epilogue\r\n";

    public static MessageMetadata Analyze(byte[] raw, MimeLimits? limits = null)
    {
        using var stream = new MemoryStream(raw, writable: false);
        return MessageAnalyzer.Analyze(stream, limits);
    }

    public static MessageMetadata Analyze(string raw, MimeLimits? limits = null) => Analyze(Bytes(raw), limits);

    public static byte[] Bytes(string raw) => Encoding.UTF8.GetBytes(raw);

    public static string Slice(byte[] raw, long offset, long length) => Encoding.UTF8.GetString(raw, checked((int)offset), checked((int)length));

    public static string Header(byte[] raw, BodyPart part) => Slice(raw, part.HeaderOffset, part.HeaderLength);

    public static string Body(byte[] raw, BodyPart part) => Slice(raw, part.BodyOffset, part.BodyLength);

    public static string Lf(string crlf) => crlf.Replace("\r\n", "\n", StringComparison.Ordinal);
}
