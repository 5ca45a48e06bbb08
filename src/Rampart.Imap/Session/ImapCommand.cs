using Rampart.Imap.Protocol;

namespace Rampart.Imap.Session;

/// <summary>One assembled command: its tag, name, UID prefix and a cursor over its arguments.</summary>
internal sealed class ImapCommand
{
    public ImapCommand(string tag, string name, bool isUid, ArgumentReader arguments)
    {
        Tag = tag;
        Name = name;
        IsUid = isUid;
        Arguments = arguments;
    }

    public string Tag { get; }

    /// <summary>Upper-case name, with "UID " in front for the UID forms.</summary>
    public string Name { get; }

    public bool IsUid { get; }

    public ArgumentReader Arguments { get; }

    /// <summary>Response code for the tagged OK, without brackets (e.g. <c>READ-WRITE</c>), or null.</summary>
    public string? OkCode { get; set; }

    /// <summary>Text of the tagged OK; defaults to "NAME completed".</summary>
    public string? OkText { get; set; }

    /// <summary>Set by a handler that already wrote its tagged reply (AUTHENTICATE failure paths, LOGOUT).</summary>
    public bool Answered { get; set; }
}
