using System.Globalization;

namespace Rampart.Store.Quota;

/// <summary>
/// Reads and writes a storage limit as admins type it: a whole number of KiB (RFC 9208 §5.1's unit), optionally with
/// a binary suffix <c>K</c>, <c>M</c>, <c>G</c> or <c>T</c> (<c>500M</c> = 512000 KiB), or <c>unlimited</c>.
/// Shared by the configuration (<c>Store:Quota:Storage</c>) and <c>rampart user quota</c>.
/// </summary>
public static class QuotaSize
{
    /// <summary>Largest storage limit accepted: 2^40 KiB (1 PiB), far past any disk, and small enough that octet
    /// arithmetic cannot overflow.</summary>
    public const long MaxKiB = 1L << 40;

    /// <summary>Parses <paramref name="text"/>; <paramref name="kib"/> is null for <c>unlimited</c>.</summary>
    /// <returns>False when the text is not a size, is negative, or is over <see cref="MaxKiB"/>.</returns>
    public static bool TryParse(string? text, out long? kib)
    {
        kib = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var value = text.Trim();
        if (value.Equals("unlimited", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var multiplier = char.ToUpperInvariant(value[^1]) switch
        {
            'K' => 1L,
            'M' => 1024L,
            'G' => 1024L * 1024,
            'T' => 1024L * 1024 * 1024,
            _ => 0L,
        };
        var digits = multiplier == 0 ? value : value[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        multiplier = multiplier == 0 ? 1 : multiplier;
        if (number > MaxKiB / multiplier)
        {
            return false;
        }

        kib = number * multiplier;
        return true;
    }

    /// <summary>A KiB figure the way people read it: <c>500 MiB</c>, <c>1536 KiB</c>, or <c>unlimited</c>.</summary>
    public static string Format(long? kib)
    {
        if (kib is not { } value)
        {
            return "unlimited";
        }

        foreach (var (unit, size) in new[] { ("TiB", 1L << 30), ("GiB", 1L << 20), ("MiB", 1L << 10) })
        {
            if (value >= size && value % size == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{value / size} {unit}");
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value} KiB");
    }
}
