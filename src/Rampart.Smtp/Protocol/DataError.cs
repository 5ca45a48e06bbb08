namespace Rampart.Smtp.Protocol;

/// <summary>Why a message body was refused while it streamed in; the first one found wins.</summary>
public enum DataError
{
    /// <summary>No error.</summary>
    None,

    /// <summary>An LF without a CR before it (RFC 5321 §2.3.8): never stored, because a relay reading it as a line
    /// end could see a different message end than we do (SMTP smuggling).</summary>
    BareLineFeed,

    /// <summary>A CR not followed by LF (RFC 5321 §2.3.8), refused for the same reason.</summary>
    BareCarriageReturn,

    /// <summary>The message outgrew <see cref="SmtpOptions.MaxMessageSize"/> (RFC 1870 §6: 552 5.3.4).</summary>
    TooBig,

    /// <summary>A text line longer than <see cref="SmtpOptions.MaxDataLineLength"/> (RFC 5321 §4.5.3.1.6).</summary>
    LineTooLong,
}
