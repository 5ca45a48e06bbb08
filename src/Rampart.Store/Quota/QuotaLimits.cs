namespace Rampart.Store.Quota;

/// <summary>
/// The limits in force for one account (RFC 9208 §5): STORAGE in KiB (§5.1, the sum of the sizes of the account's
/// messages, each copy counted) and MESSAGE, the number of messages (§5.2). Null means no limit on that resource.
/// </summary>
/// <param name="StorageKiB">Most storage, in units of 1024 octets; null for unlimited.</param>
/// <param name="Messages">Most messages; null for unlimited.</param>
public sealed record QuotaLimits(long? StorageKiB, long? Messages)
{
    /// <summary>No limit on either resource: the server's default unless configured (<c>Store:Quota</c>).</summary>
    public static QuotaLimits Unlimited { get; } = new(null, null);

    /// <summary>Whether neither resource is limited.</summary>
    public bool IsUnlimited => StorageKiB is null && Messages is null;

    /// <summary>The storage limit in octets, or null.</summary>
    public long? StorageOctets => StorageKiB is { } kib ? (kib > long.MaxValue / 1024 ? long.MaxValue : kib * 1024) : null;

    /// <summary>
    /// Whether adding <paramref name="addedOctets"/> in <paramref name="addedMessages"/> messages to an account that
    /// holds <paramref name="usedOctets"/> in <paramref name="usedMessages"/> keeps it within both limits. The check is
    /// exact (used + added ≤ limit), so a write the store lets through never takes the account over its limit.
    /// </summary>
    public bool Allows(long usedOctets, long usedMessages, long addedOctets, long addedMessages) =>
        (StorageOctets is not { } storage || usedOctets + addedOctets <= storage)
        && (Messages is not { } messages || usedMessages + addedMessages <= messages);
}
