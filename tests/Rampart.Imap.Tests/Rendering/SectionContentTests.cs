using System.Text;
using Rampart.Imap.Rendering;

namespace Rampart.Imap.Tests.Rendering;

public class SectionContentTests
{
    private static readonly string Raw = RenderingSamples.Nested;

    /// <summary>The octets of <paramref name="text"/> as it sits in the raw sample (checked to be unique).</summary>
    private static string Slice(string text)
    {
        int at = Raw.IndexOf(text, StringComparison.Ordinal);
        Assert.True(at >= 0 && Raw.IndexOf(text, at + 1, StringComparison.Ordinal) < 0, text);
        return text;
    }

    private static async Task<(SectionData Data, string Text)> Fetch(string message, string section, bool binary = false, PartialRange? range = null)
    {
        var (metadata, raw) = RenderingSamples.Analyze(message);
        Assert.True(SectionSpec.TryParse(Encoding.ASCII.GetBytes(section), out var spec), section);
        var stream = new MemoryStream(raw, writable: false);
        var data = await SectionContent.OpenAsync(spec, metadata.Body, stream, binary, CancellationToken.None);
        byte[] bytes = await data.ToArrayAsync(range, CancellationToken.None);
        Assert.Equal(data.LengthOf(range), bytes.Length);
        return (data, Encoding.UTF8.GetString(bytes));
    }

    private static async Task<string> Body(string section, PartialRange? range = null) => (await Fetch(Raw, section, range: range)).Text;

    [Fact]
    public async Task Whole_message_header_and_text()
    {
        int headerEnd = Raw.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        Assert.Equal(Raw, await Body(""));
        Assert.Equal(Raw[..headerEnd], await Body("HEADER"));
        Assert.Equal(Raw[headerEnd..], await Body("TEXT"));
    }

    [Fact]
    public async Task Numbered_parts_and_their_mime_headers()
    {
        string alternative = Raw[(Raw.IndexOf("\"inner\"\r\n\r\n", StringComparison.Ordinal) + 11)..Raw.IndexOf("\r\n--outer\r\nContent-Type: application", StringComparison.Ordinal)];
        Assert.Equal(alternative, await Body("1"));
        Assert.Equal(Slice("Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n"), await Body("1.MIME"));
        Assert.Equal(Slice("Hello =C3=A9 world"), await Body("1.1"));
        Assert.Equal(Slice("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"), await Body("1.1.MIME"));
        Assert.Equal(Slice("<p>Hello</p>"), await Body("1.2"));
        Assert.Equal(Slice("AAECAw=="), await Body("2"));
        Assert.Equal(Slice("Content-Type: message/rfc822\r\n\r\n"), await Body("3.MIME"));
    }

    [Fact]
    public async Task Embedded_message_sections()
    {
        const string header = "From: bob@example.com\r\nSubject: inner\r\nX-Folded: one\r\n two\r\n\r\n";
        Assert.Equal(Slice(header + "Inner body"), await Body("3"));
        Assert.Equal(header, await Body("3.HEADER"));
        Assert.Equal("Inner body", await Body("3.TEXT"));

        // RFC 9051 §6.4.5: the body of a non-multipart message is its part 1.
        Assert.Equal("Inner body", await Body("3.1"));
        Assert.Equal("X-Folded: one\r\n two\r\n\r\n", await Body("3.HEADER.FIELDS (x-folded)"));
        Assert.Equal("Subject: inner\r\n\r\n", await Body("3.HEADER.FIELDS.NOT (X-FOLDED from)"));
    }

    [Fact]
    public async Task Header_fields_keep_message_order_and_end_with_a_blank_line()
    {
        Assert.Equal(
            "From: \"Alice \\\"A\\\" Smith\" <alice@example.com>\r\nSubject: Report \\ \"quoted\"\r\n\r\n",
            await Body("HEADER.FIELDS (SUBJECT from)"));
        Assert.Equal("\r\n", await Body("HEADER.FIELDS (X-ABSENT)"));
        string not = await Body("HEADER.FIELDS.NOT (from to subject date message-id mime-version)");
        Assert.Equal("Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n", not);
    }

    [Fact]
    public async Task Folded_fields_with_odd_spacing_and_bare_lf()
    {
        const string message =
            "Received: from a\r\n\tby b\r\n  with c\r\n" +
            "X-Spaced : value\r\n" +
            "subject: folded\n continued\n" +
            "Received: second\r\n" +
            "\r\nbody\r\n";
        var (_, kept) = await Fetch(message, "HEADER.FIELDS (RECEIVED X-SPACED)");
        Assert.Equal("Received: from a\r\n\tby b\r\n  with c\r\nX-Spaced : value\r\nReceived: second\r\n\r\n", kept);
        var (_, rest) = await Fetch(message, "HEADER.FIELDS.NOT (RECEIVED X-SPACED)");
        Assert.Equal("subject: folded\n continued\n\r\n", rest);
    }

    [Fact]
    public async Task Header_fields_across_read_chunks_and_overlong_names()
    {
        // A header far larger than the filter's read buffer, with kept fields and folds on every chunk boundary,
        // and a field name longer than any name a request can carry.
        var header = new StringBuilder();
        var kept = new StringBuilder();
        for (int i = 0; i < 3000; i++)
        {
            string field = i % 7 == 0 ? $"X-Keep: {i}\r\n\t{new string('k', i % 50)}\r\n" : $"X-Pad-{i}: {new string('p', i % 40)}\r\n";
            header.Append(field);
            if (i % 7 == 0)
            {
                kept.Append(field);
            }
        }

        header.Append(new string('N', SectionSpec.MaxFieldNameLength + 500)).Append(": long\r\n");
        string message = header + "\r\nbody\r\n";
        Assert.Equal(kept + "\r\n", (await Fetch(message, "HEADER.FIELDS (X-KEEP)")).Text);
        string rest = (await Fetch(message, "HEADER.FIELDS.NOT (X-KEEP)")).Text;
        Assert.Equal(header.ToString().Length - kept.Length + 2, rest.Length);
        Assert.EndsWith(": long\r\n\r\n", rest, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4")]
    [InlineData("1.3")]
    [InlineData("2.1")]
    [InlineData("1.HEADER")]
    [InlineData("2.TEXT")]
    [InlineData("3.2")]
    [InlineData("3.1.1")]
    [InlineData("99.1.1.MIME")]
    public async Task Nonexistent_parts_are_reported_empty(string section)
    {
        var (data, text) = await Fetch(Raw, section);
        Assert.True(data.NoSuchPart);
        Assert.Equal(0, data.Length);
        Assert.Equal(string.Empty, text);
    }

    [Fact]
    public async Task Single_part_message_has_part_one()
    {
        Assert.Equal("Line one\r\nLine two\r\n", (await Fetch(RenderingSamples.Simple, "1")).Text);
        Assert.True((await Fetch(RenderingSamples.Simple, "2")).Data.NoSuchPart);
        Assert.True((await Fetch(RenderingSamples.Simple, "1.1")).Data.NoSuchPart);
    }

    [Fact]
    public async Task Partial_ranges_including_origin_past_the_end()
    {
        Assert.Equal("=C3", await Body("1.1", new PartialRange(6, 3)));
        Assert.Equal("A9 world", await Body("1.1", new PartialRange(10, 1000)));
        Assert.Equal(string.Empty, await Body("1.1", new PartialRange(18, 1)));
        Assert.Equal(string.Empty, await Body("1.1", new PartialRange(uint.MaxValue, 5)));
        Assert.Equal("Sub", await Body("3.HEADER.FIELDS (SUBJECT)", new PartialRange(0, 3)));
    }

    [Fact]
    public async Task Binary_decodes_quoted_printable_and_base64()
    {
        var (text, decoded) = await Fetch(Raw, "1.1", binary: true);
        Assert.Equal("Hello é world", decoded);
        Assert.False(text.ContainsNul);

        var (attachment, _) = await Fetch(Raw, "2", binary: true);
        Assert.Equal(4, attachment.Length);
        Assert.True(attachment.ContainsNul);
        Assert.Equal([0, 1, 2, 3], await attachment.ToArrayAsync(null, CancellationToken.None));
        Assert.Equal([2, 3], await attachment.ToArrayAsync(new PartialRange(2, 10), CancellationToken.None));

        var (identity, html) = await Fetch(Raw, "1.2", binary: true);
        Assert.Equal("<p>Hello</p>", html);
        Assert.False(identity.ContainsNul);
    }

    [Fact]
    public async Task Binary_refuses_multiparts_and_header_sections_and_flags_unknown_encodings()
    {
        Assert.Equal(SectionStatus.NotBinary, (await Fetch(Raw, "1", binary: true)).Data.Status);
        Assert.Equal(SectionStatus.NotBinary, (await Fetch(Raw, "3.HEADER", binary: true)).Data.Status);
        Assert.True((await Fetch(Raw, "7", binary: true)).Data.NoSuchPart);

        const string uuencoded = "Content-Type: application/x-thing\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 a\r\n";
        var (data, _) = await Fetch(uuencoded, "1", binary: true);
        Assert.True(data.UnknownCte);
    }

    [Fact]
    public async Task Binary_of_an_identity_part_detects_nul()
    {
        const string message = "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\nab\0cd";
        var (data, text) = await Fetch(message, "1", binary: true);
        Assert.True(data.ContainsNul);
        Assert.Equal("ab\0cd", text);
    }

    [Fact]
    public async Task Large_base64_part_is_decoded_through_a_temporary_file()
    {
        byte[] payload = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(payload);
        string encoded = Convert.ToBase64String(payload, Base64FormattingOptions.InsertLineBreaks);
        string message = "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" + encoded + "\r\n";
        var (metadata, raw) = RenderingSamples.Analyze(message);
        Assert.True(SectionSpec.TryParse("1"u8, out var spec));
        using var stream = new MemoryStream(raw, writable: false);
        await using var data = await SectionContent.OpenAsync(spec, metadata.Body, stream, binary: true, CancellationToken.None);
        Assert.Equal(payload.Length, data.Length);
        Assert.Equal(payload, await data.ToArrayAsync(null, CancellationToken.None));
        Assert.Equal(payload.AsSpan(1_500_000, 100).ToArray(), await data.ToArrayAsync(new PartialRange(1_500_000, 100), CancellationToken.None));
    }
}
