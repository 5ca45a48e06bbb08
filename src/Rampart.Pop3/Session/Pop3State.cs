namespace Rampart.Pop3.Session;

/// <summary>The states of a POP3 session (RFC 1939 §3).</summary>
[Flags]
public enum Pop3State
{
    /// <summary>No state (a command allowed in none is never run).</summary>
    None = 0,

    /// <summary>After the greeting, until the client has identified itself.</summary>
    Authorization = 1,

    /// <summary>Logged in with the maildrop locked.</summary>
    Transaction = 2,

    /// <summary>After QUIT in the TRANSACTION state: deletions are applied and the connection closes.</summary>
    Update = 4,
}
