namespace Rampart.Smtp.Dsn;

/// <summary>The RET parameter of MAIL (RFC 3461 §4.3): what of the message a failure DSN returns.</summary>
public enum DsnReturn
{
    /// <summary>RET not given: the server chooses (Rampart returns the header).</summary>
    Unspecified,

    /// <summary>RET=FULL: the whole message (up to <see cref="Queue.DeliveryStatusReport.MaxReturnedMessageBytes"/>).</summary>
    Full,

    /// <summary>RET=HDRS: the header only.</summary>
    Headers,
}
