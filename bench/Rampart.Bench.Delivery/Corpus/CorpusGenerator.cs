using System.Globalization;
using System.Text;

namespace Rampart.Bench.Delivery.Corpus;

/// <summary>Generates a realistic, reproducible mail corpus: sizes drawn from a log-normal distribution clamped to
/// 2–50 KB, a mix of text/plain, multipart/alternative and multipart/mixed with base64 attachments, some
/// quoted-printable bodies, some UTF-8 encoded-word subjects (RFC 2047), and the headers real mail carries
/// (Received, From, To, Cc, Date, Message-ID, In-Reply-To, References). Every line ends in CRLF (RFC 5322 §2.1).</summary>
/// <remarks>Message <c>i</c> depends only on the seed and <c>i</c>, so a 500-message quick run delivers the first
/// 500 messages of the full corpus.</remarks>
internal sealed class CorpusGenerator(int seed)
{
    /// <summary>Smallest message, in bytes.</summary>
    public const int MinSize = 2 * 1024;

    /// <summary>Largest message, in bytes.</summary>
    public const int MaxSize = 50 * 1024;

    // Median near 8 KB with a long tail: what personal mailboxes look like once large attachments are excluded.
    private const double MedianSize = 8 * 1024;
    private const double SizeSigma = 0.75;

    private static readonly string[] FirstNames = ["Alice", "Bob", "Carol", "Dmitri", "Élodie", "Farah", "Günter", "Hiro", "Ines", "João", "Kwame", "Lena", "Mateo", "Nadia", "Oskar", "Priya"];
    private static readonly string[] LastNames = ["Martin", "Okafor", "Schmidt", "Tanaka", "Novak", "García", "Lindqvist", "Dubois", "Kowalski", "Rossi", "Chen", "Haddad"];
    private static readonly string[] Domains = ["example.com", "example.net", "example.org", "mail.example.com", "lists.example.org"];
    private static readonly string[] Words =
    [
        "the", "meeting", "report", "budget", "schedule", "please", "review", "attached", "draft", "quarter", "numbers",
        "we", "should", "discuss", "tomorrow", "project", "deadline", "thanks", "regards", "server", "release", "notes",
        "customer", "feedback", "invoice", "contract", "update", "version", "deployment", "question", "answer", "team",
        "following", "agenda", "minutes", "proposal", "estimate", "travel", "office", "holiday", "weekly", "summary",
        "and", "to", "of", "for", "with", "on", "in", "a", "is", "that", "it", "this", "be", "as", "at", "by", "from",
    ];

    // Accented and non-Latin words: they make quoted-printable bodies and encoded-word subjects necessary.
    private static readonly string[] Utf8Words = ["réunion", "Überprüfung", "façade", "naïve", "smörgåsbord", "日本語", "Ελληνικά", "cañón", "Zürich", "crème brûlée"];
    private static readonly string[] Subjects = ["Quarterly report", "Re: schedule for next week", "Invoice 2024-118", "Release notes draft", "Fwd: customer feedback", "Team lunch on Friday", "Contract review", "Deployment window", "Travel plans", "Budget estimate v3"];
    private static readonly string[] Utf8Subjects = ["Réunion de l'équipe", "Überprüfung der Zahlen", "会議の議事録", "Προσφορά έργου", "Café à Zürich", "Señal de vida"];

    private static readonly DateTimeOffset FirstDate = new(2024, 1, 8, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Generates messages <c>0 .. count-1</c>.</summary>
    public IReadOnlyList<CorpusMessage> GenerateMany(int count)
    {
        var messages = new CorpusMessage[count];
        for (var i = 0; i < count; i++)
        {
            messages[i] = GenerateOne(i);
        }

        return messages;
    }

    /// <summary>Generates message <paramref name="index"/>.</summary>
    public CorpusMessage GenerateOne(int index)
    {
        // One Random per message, seeded from (seed, index): reproducible and independent of the corpus size.
        var random = new Random(unchecked((seed * 1_000_003) + index));
        var targetSize = DrawSize(random);
        var roll = random.NextDouble();
        var kind = roll < 0.45 ? MessageKind.PlainText : roll < 0.75 ? MessageKind.Alternative : MessageKind.WithAttachment;
        var messageId = string.Create(CultureInfo.InvariantCulture, $"<{index}.{random.NextInt64():x16}@{Pick(random, Domains)}>");

        var text = new StringBuilder(targetSize + 1024);
        AppendHeaders(text, random, index, messageId);
        switch (kind)
        {
            case MessageKind.PlainText:
                AppendPlainBody(text, random, targetSize);
                break;
            case MessageKind.Alternative:
                AppendAlternativeBody(text, random, targetSize, index);
                break;
            case MessageKind.WithAttachment:
                AppendMixedBody(text, random, targetSize, index);
                break;
        }

        return new CorpusMessage(index, messageId, kind, Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static int DrawSize(Random random)
    {
        // Box–Muller: a standard normal from two uniforms, then exp() for the log-normal.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        var size = Math.Exp(Math.Log(MedianSize) + (SizeSigma * z));
        return (int)Math.Clamp(size, MinSize, MaxSize);
    }

    private static void AppendHeaders(StringBuilder text, Random random, int index, string messageId)
    {
        var date = FirstDate.AddMinutes(index * 7.3).ToOffset(TimeSpan.FromHours(random.Next(-8, 10)));
        var from = Address(random);
        Line(text, string.Create(CultureInfo.InvariantCulture, $"Return-Path: <{AddrSpec(from)}>"));
        Line(text, string.Create(CultureInfo.InvariantCulture, $"Received: from mx{random.Next(1, 9)}.example.net (mx.example.net [192.0.2.{random.Next(1, 255)}])"));
        Line(text, string.Create(CultureInfo.InvariantCulture, $"\tby mail.rampart.test with ESMTPS id {random.NextInt64():X12}; {Rfc5322Date(date)}"));
        Line(text, "Message-ID: " + messageId);
        Line(text, "Date: " + Rfc5322Date(date));
        Line(text, "From: " + Mailbox(from));
        Line(text, "To: " + Mailbox(Address(random)));
        if (random.NextDouble() < 0.35)
        {
            var cc = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Mailbox(Address(random)));
            Line(text, "Cc: " + string.Join(",\r\n ", cc));
        }

        Line(text, "Subject: " + Subject(random));
        if (index > 0 && random.NextDouble() < 0.3)
        {
            // A reply: refers to up to three earlier messages of the corpus.
            var parents = Enumerable.Range(0, random.Next(1, 4))
                .Select(_ => string.Create(CultureInfo.InvariantCulture, $"<{random.Next(0, index)}.{random.NextInt64():x16}@{Pick(random, Domains)}>"))
                .ToList();
            Line(text, "In-Reply-To: " + parents[^1]);
            Line(text, "References: " + string.Join("\r\n ", parents));
        }

        Line(text, "MIME-Version: 1.0");
    }

    private static void AppendPlainBody(StringBuilder text, Random random, int targetSize)
    {
        var quotedPrintable = random.NextDouble() < 0.25;
        Line(text, quotedPrintable ? "Content-Type: text/plain; charset=utf-8" : "Content-Type: text/plain; charset=us-ascii; format=flowed");
        Line(text, "Content-Transfer-Encoding: " + (quotedPrintable ? "quoted-printable" : "7bit"));
        Line(text, string.Empty);
        AppendText(text, random, targetSize - text.Length, quotedPrintable);
    }

    private static void AppendAlternativeBody(StringBuilder text, Random random, int targetSize, int index)
    {
        var boundary = Boundary(random, index, "alt");
        Line(text, $"Content-Type: multipart/alternative; boundary=\"{boundary}\"");
        Line(text, string.Empty);
        Line(text, "This is a multi-part message in MIME format.");
        var remaining = targetSize - text.Length;
        AppendAlternativeParts(text, random, boundary, remaining);
        Line(text, $"--{boundary}--");
    }

    private static void AppendAlternativeParts(StringBuilder text, Random random, string boundary, int size)
    {
        // The HTML rendering carries markup on top of the same words, so give the text part a bit less than half.
        var quotedPrintable = random.NextDouble() < 0.4;
        Line(text, "--" + boundary);
        Line(text, "Content-Type: text/plain; charset=utf-8");
        Line(text, "Content-Transfer-Encoding: " + (quotedPrintable ? "quoted-printable" : "8bit"));
        Line(text, string.Empty);
        AppendText(text, random, size * 2 / 5, quotedPrintable);
        Line(text, "--" + boundary);
        Line(text, "Content-Type: text/html; charset=utf-8");
        Line(text, "Content-Transfer-Encoding: quoted-printable");
        Line(text, string.Empty);
        AppendHtml(text, random, size * 3 / 5);
    }

    private static void AppendMixedBody(StringBuilder text, Random random, int targetSize, int index)
    {
        var boundary = Boundary(random, index, "mix");
        Line(text, $"Content-Type: multipart/mixed; boundary=\"{boundary}\"");
        Line(text, string.Empty);
        Line(text, "This is a multi-part message in MIME format.");
        var textShare = Math.Min(4096, targetSize / 4);
        if (random.NextDouble() < 0.5)
        {
            var inner = Boundary(random, index, "alt");
            Line(text, "--" + boundary);
            Line(text, $"Content-Type: multipart/alternative; boundary=\"{inner}\"");
            Line(text, string.Empty);
            AppendAlternativeParts(text, random, inner, textShare);
            Line(text, $"--{inner}--");
        }
        else
        {
            Line(text, "--" + boundary);
            Line(text, "Content-Type: text/plain; charset=utf-8");
            Line(text, "Content-Transfer-Encoding: 8bit");
            Line(text, string.Empty);
            AppendText(text, random, textShare, quotedPrintable: false);
        }

        // base64 grows 4/3 plus CRLF every 76 characters.
        var attachmentBytes = Math.Max(256, (int)((targetSize - text.Length - 300) / 1.37));
        var pdf = random.NextDouble() < 0.6;
        var name = pdf ? string.Create(CultureInfo.InvariantCulture, $"report-{index}.pdf") : string.Create(CultureInfo.InvariantCulture, $"image-{index}.png");
        Line(text, "--" + boundary);
        Line(text, pdf ? $"Content-Type: application/pdf; name=\"{name}\"" : $"Content-Type: image/png; name=\"{name}\"");
        Line(text, $"Content-Disposition: attachment; filename=\"{name}\"");
        Line(text, "Content-Transfer-Encoding: base64");
        Line(text, string.Empty);
        var payload = new byte[attachmentBytes];
        random.NextBytes(payload);
        // Real magic numbers at the start, so the attachment looks like what its Content-Type says.
        ReadOnlySpan<byte> magic = pdf ? "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"u8 : [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        magic[..Math.Min(magic.Length, payload.Length)].CopyTo(payload);
        text.Append(Convert.ToBase64String(payload, Base64FormattingOptions.InsertLineBreaks)).Append("\r\n");
        Line(text, $"--{boundary}--");
    }

    private static void AppendText(StringBuilder text, Random random, int size, bool quotedPrintable)
    {
        var end = text.Length + Math.Max(size, 80);
        var line = new StringBuilder(80);
        while (text.Length < end)
        {
            var sentenceLength = random.Next(6, 18);
            for (var w = 0; w < sentenceLength; w++)
            {
                var word = quotedPrintable && random.NextDouble() < 0.08 ? Pick(random, Utf8Words) : Pick(random, Words);
                if (line.Length + word.Length + 1 > 72)
                {
                    FlushLine(text, line, quotedPrintable);
                }

                if (line.Length > 0)
                {
                    line.Append(' ');
                }

                line.Append(word);
            }

            line.Append('.');
            if (random.NextDouble() < 0.2)
            {
                FlushLine(text, line, quotedPrintable);
                Line(text, string.Empty);
            }
        }

        FlushLine(text, line, quotedPrintable);
    }

    private static void AppendHtml(StringBuilder text, Random random, int size)
    {
        var end = text.Length + Math.Max(size, 200);
        Line(text, "<!DOCTYPE html>");
        Line(text, "<html><head><meta http-equiv=3D\"Content-Type\" content=3D\"text/html; charset=3Dutf-8\"></head>");
        Line(text, "<body style=3D\"font-family: sans-serif\">");
        var line = new StringBuilder(80);
        while (text.Length < end)
        {
            line.Append("<p>");
            var words = random.Next(10, 40);
            for (var w = 0; w < words; w++)
            {
                var word = random.NextDouble() < 0.05 ? Pick(random, Utf8Words) : Pick(random, Words);
                if (random.NextDouble() < 0.05)
                {
                    word = "<b>" + word + "</b>";
                }

                if (line.Length + word.Length + 1 > 60)
                {
                    FlushLine(text, line, quotedPrintable: true);
                }

                line.Append(word).Append(' ');
            }

            line.Append("</p>");
            FlushLine(text, line, quotedPrintable: true);
        }

        Line(text, "</body></html>");
    }

    private static void FlushLine(StringBuilder text, StringBuilder line, bool quotedPrintable)
    {
        if (line.Length == 0)
        {
            return;
        }

        var value = line.ToString();
        line.Clear();
        if (!quotedPrintable)
        {
            Line(text, value);
            return;
        }

        // RFC 2045 §6.7: octets outside printable ASCII (and '=') become =XX; lines stay within 76 characters
        // using soft line breaks; a trailing space must be encoded.
        var encoded = new StringBuilder(value.Length + 16);
        var bytes = Encoding.UTF8.GetBytes(value);
        var column = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            var literal = b is >= 33 and <= 126 and not (byte)'=' || (b == (byte)' ' && i < bytes.Length - 1);
            var piece = literal ? ((char)b).ToString() : string.Create(CultureInfo.InvariantCulture, $"={b:X2}");
            if (column + piece.Length > 75)
            {
                encoded.Append("=\r\n");
                column = 0;
            }

            encoded.Append(piece);
            column += piece.Length;
        }

        Line(text, encoded.ToString());
    }

    private static string Subject(Random random)
    {
        if (random.NextDouble() < 0.2)
        {
            // RFC 2047 §4.1 B encoding; these subjects stay short enough for one 75-character encoded-word.
            var subject = Pick(random, Utf8Subjects);
            return "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(subject)) + "?=";
        }

        return Pick(random, Subjects);
    }

    private static (string Display, string Local, string Domain) Address(Random random)
    {
        var first = Pick(random, FirstNames);
        var last = Pick(random, LastNames);
        var local = string.Concat(Ascii(first), ".", Ascii(last)).ToLowerInvariant();
        return ($"{first} {last}", local, Pick(random, Domains));
    }

    private static string AddrSpec((string Display, string Local, string Domain) address) => $"{address.Local}@{address.Domain}";

    private static string Mailbox((string Display, string Local, string Domain) address)
    {
        var display = address.Display.All(char.IsAscii)
            ? $"\"{address.Display}\""
            : "=?UTF-8?Q?" + string.Concat(Encoding.UTF8.GetBytes(address.Display).Select(b => b is >= 0x30 and <= 0x39 or >= 0x41 and <= 0x5A or >= 0x61 and <= 0x7A ? ((char)b).ToString() : b == 0x20 ? "_" : string.Create(CultureInfo.InvariantCulture, $"={b:X2}"))) + "?=";
        return $"{display} <{AddrSpec(address)}>";
    }

    // The names' few accented letters, folded for the local part (the build runs with invariant globalization,
    // so no Unicode normalisation tables are at hand).
    private static string Ascii(string name) =>
        string.Concat(name.Select(c => c switch
        {
            'É' => 'E',
            'ü' => 'u',
            'ã' => 'a',
            'í' => 'i',
            _ => c,
        }).Where(char.IsAsciiLetter));

    private static string Boundary(Random random, int index, string kind) =>
        string.Create(CultureInfo.InvariantCulture, $"=_{kind}_{index}_{random.NextInt64():x16}");

    private static string Rfc5322Date(DateTimeOffset date) =>
        date.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture) +
        (date.Offset < TimeSpan.Zero ? "-" : "+") + date.Offset.ToString("hhmm", CultureInfo.InvariantCulture);

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static void Line(StringBuilder text, string line) => text.Append(line).Append("\r\n");
}
