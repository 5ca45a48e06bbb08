namespace Rampart.Smtp.Dsn;

/// <summary>The Action field of a per-recipient DSN group (RFC 3464 §2.3.3).</summary>
public enum DsnAction
{
    /// <summary>The message could not be delivered.</summary>
    Failed,

    /// <summary>Not delivered yet and still being retried (sent once, past <see cref="Queue.OutboundQueueOptions.DelayWarning"/>).</summary>
    Delayed,

    /// <summary>Delivered into a mailbox here.</summary>
    Delivered,

    /// <summary>Handed to a server that does not offer DSN (RFC 3461 §6.2.1 b): no further notification will come.</summary>
    Relayed,
}
