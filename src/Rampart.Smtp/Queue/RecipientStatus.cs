namespace Rampart.Smtp.Queue;

/// <summary>Where one recipient of a queued message stands.</summary>
public enum RecipientStatus
{
    /// <summary>Not delivered yet: tried again at the envelope's next attempt.</summary>
    Pending,

    /// <summary>A remote server answered 250 to the data (or the local store accepted it): never sent again.</summary>
    Delivered,

    /// <summary>Given up: a 5xx reply, a permanent DNS answer, or the retry period ran out. A DSN reports it.</summary>
    Failed,
}
