namespace Rampart.Pop3.Protocol;

/// <summary>The extended response codes Rampart sends in brackets after <c>-ERR</c>.</summary>
/// <remarks>RFC 2449 §8 (RESP-CODES: IN-USE, LOGIN-DELAY), RFC 3206 (SYS/TEMP, SYS/PERM, AUTH),
/// RFC 6856 §2 (UTF8).</remarks>
public static class ResponseCode
{
    /// <summary>RFC 2449 §8.1.1: the maildrop is locked by another POP3 session.</summary>
    public const string InUse = "IN-USE";

    /// <summary>RFC 3206 §4: a temporary problem on the server; try again later.</summary>
    public const string SysTemp = "SYS/TEMP";

    /// <summary>RFC 3206 §4: a permanent problem; do not retry without a change.</summary>
    public const string SysPerm = "SYS/PERM";

    /// <summary>RFC 3206 §5: the failure is about the credentials (AUTH-RESP-CODE).</summary>
    public const string Auth = "AUTH";

    /// <summary>RFC 6856 §2: the operation needs UTF8 mode.</summary>
    public const string Utf8 = "UTF8";
}
