using System.Buffers.Text;

namespace Rampart.Monitoring.Audit;

/// <summary>
/// Defence in depth for the audit log's free-text fields. Event types have no field for a secret, but a client can
/// put one where a user name is expected (a SASL PLAIN response pasted as a LOGIN name, a password typed into the
/// user field). This cuts every field to a maximum length and redacts values that have the shape of an encoded
/// credential: strict base64 whose decoded bytes contain a NUL or other control byte, as SASL PLAIN's
/// <c>authzid NUL authcid NUL passwd</c> does (RFC 4616 §2). Control characters, quotes and escapes are left to the
/// JSON encoder, which escapes all of them (SECURITY.md L02).
/// </summary>
public sealed class SecretScrubber
{
    /// <summary>What a redacted value is replaced with.</summary>
    public const string Redacted = "[redacted]";

    private readonly int maxLength;

    public SecretScrubber(int maxLength = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 16);
        this.maxLength = maxLength;
    }

    /// <summary>The text to write for <paramref name="value"/>.</summary>
    public string? Clean(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (LooksLikeEncodedCredential(value))
        {
            return Redacted;
        }

        return value.Length <= maxLength ? value : string.Concat(value.AsSpan(0, maxLength), "…");
    }

    internal static bool LooksLikeEncodedCredential(string value)
    {
        var trimmed = value.AsSpan().Trim();
        if (trimmed.Length < 8 || trimmed.Length % 4 != 0 || trimmed.Length > 64 * 1024 || !Base64.IsValid(trimmed, out var decodedLength))
        {
            return false;
        }

        var bytes = new byte[decodedLength];
        if (!Convert.TryFromBase64Chars(trimmed, bytes, out var written))
        {
            return false;
        }

        foreach (var b in bytes.AsSpan(0, written))
        {
            if (b < 0x09)
            {
                return true;
            }
        }

        return false;
    }
}
