namespace Rampart.Pop3;

/// <summary>The server's retention policy for mail read over POP3, advertised as the RFC 2449 §6.7 EXPIRE capability.</summary>
public sealed class Pop3RetentionOptions
{
    /// <summary>Default <see cref="Days"/>: 30.</summary>
    public const int DefaultDays = 30;

    /// <summary>The policy. Default <see cref="Pop3RetentionMode.Keep"/>: mail stays until the client deletes it.</summary>
    public Pop3RetentionMode Mode { get; set; } = Pop3RetentionMode.Keep;

    /// <summary>For <see cref="Pop3RetentionMode.KeepDays"/>: days a downloaded message is kept. Default 30.</summary>
    public int Days { get; set; } = DefaultDays;

    /// <summary>The EXPIRE capability argument that matches the policy (RFC 2449 §6.7).</summary>
    public string ExpireCapability => Mode switch
    {
        Pop3RetentionMode.DeleteAfterDownload => "0",
        Pop3RetentionMode.KeepDays => Days.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "NEVER",
    };

    /// <summary>Throws for a policy that cannot be applied (a negative or zero day count).</summary>
    public void Validate()
    {
        if (Mode == Pop3RetentionMode.KeepDays && Days < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Days), Days, "Pop3:Retention:Days must be at least 1 with Mode KeepDays.");
        }

        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Unknown Pop3:Retention:Mode.");
        }
    }
}

/// <summary>What the server does with mail a POP3 client has downloaded.</summary>
public enum Pop3RetentionMode
{
    /// <summary>Leave it on the server until the client deletes it (EXPIRE NEVER).</summary>
    Keep,

    /// <summary>Delete every message retrieved with RETR when the session ends with QUIT (EXPIRE 0).</summary>
    DeleteAfterDownload,

    /// <summary>
    /// Delete, when a session ends with QUIT, the messages that have been retrieved (they carry \Seen) and arrived more
    /// than <see cref="Pop3RetentionOptions.Days"/> days ago (EXPIRE N).
    /// </summary>
    KeepDays,
}
