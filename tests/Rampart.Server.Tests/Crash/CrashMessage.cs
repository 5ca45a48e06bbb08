using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rampart.Server.Tests.Crash;

/// <summary>A message fed to one <c>rampart deliver</c> process: unique Message-ID, 1–200 KB, text/plain or
/// multipart/mixed with a base64 attachment, CRLF line ends. <see cref="Hash"/> is the lower-case hex SHA-256 of the
/// bytes, which is also what the store names the blob by.</summary>
internal sealed record CrashMessage(string MessageId, byte[] Bytes, string Hash)
{
    public static CrashMessage Create(Random random, int round, int slot)
    {
        var size = random.Next(1024, (200 * 1024) + 1);
        var messageId = string.Create(CultureInfo.InvariantCulture, $"<crash-{round}-{slot}-{random.NextInt64():x16}@rampart.test>");
        var text = new StringBuilder(size + 512);
        text.Append("From: \"Crash Sender\" <sender@example.com>\r\n");
        text.Append("To: alice@rampart.test\r\n");
        text.Append(CultureInfo.InvariantCulture, $"Subject: crash round {round} slot {slot}\r\n");
        text.Append("Date: Mon, 08 Jan 2024 09:00:00 +0000\r\n");
        text.Append("Message-ID: ").Append(messageId).Append("\r\n");
        text.Append("MIME-Version: 1.0\r\n");
        if (random.NextDouble() < 0.4)
        {
            var boundary = string.Create(CultureInfo.InvariantCulture, $"=_crash_{round}_{slot}");
            text.Append(CultureInfo.InvariantCulture, $"Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n");
            text.Append(CultureInfo.InvariantCulture, $"--{boundary}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
            AppendLines(text, random, 512);
            text.Append(CultureInfo.InvariantCulture, $"--{boundary}\r\nContent-Type: application/octet-stream; name=\"blob.bin\"\r\n");
            text.Append("Content-Disposition: attachment; filename=\"blob.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
            var payload = new byte[Math.Max(16, (size - text.Length - 64) * 3 / 4)];
            random.NextBytes(payload);
            text.Append(Convert.ToBase64String(payload, Base64FormattingOptions.InsertLineBreaks)).Append("\r\n");
            text.Append(CultureInfo.InvariantCulture, $"--{boundary}--\r\n");
        }
        else
        {
            text.Append("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
            AppendLines(text, random, size - text.Length);
        }

        var bytes = Encoding.ASCII.GetBytes(text.ToString());
        return new CrashMessage(messageId, bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    private static void AppendLines(StringBuilder text, Random random, int size)
    {
        var end = text.Length + size;
        while (text.Length < end)
        {
            // Random letters: two messages never share a body, so every blob is distinct.
            for (var i = 0; i < 70; i++)
            {
                text.Append((char)('a' + random.Next(26)));
            }

            text.Append("\r\n");
        }
    }
}
