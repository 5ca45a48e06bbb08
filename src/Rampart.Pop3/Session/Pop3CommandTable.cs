using System.Collections.Frozen;
using Rampart.Pop3.Commands;

namespace Rampart.Pop3.Session;

/// <summary>Every POP3 command Rampart knows: states, TLS requirement, RFC and handler, in one place.</summary>
public static class Pop3CommandTable
{
    private const Pop3State Authorization = Pop3State.Authorization;
    private const Pop3State Transaction = Pop3State.Transaction;

    /// <summary>The table, by keyword.</summary>
    public static FrozenDictionary<string, Pop3CommandDefinition> Commands { get; } = new Pop3CommandDefinition[]
    {
        new("CAPA", Authorization | Transaction, false, "RFC 2449 §5", new CapaCommand()),
        new("STLS", Authorization, false, "RFC 2595 §4", new StlsCommand()),
        new("UTF8", Authorization, false, "RFC 6856 §2", new Utf8Command()),
        new("USER", Authorization, true, "RFC 1939 §7", new UserCommand()),
        new("PASS", Authorization, true, "RFC 1939 §7", new PassCommand()),
        new("AUTH", Authorization, true, "RFC 5034 §4", new AuthCommand()),
        new("APOP", Authorization, true, "RFC 1939 §7", new ApopCommand()),
        new("QUIT", Authorization | Transaction, false, "RFC 1939 §6", new QuitCommand()),
        new("STAT", Transaction, false, "RFC 1939 §5", new StatCommand()),
        new("LIST", Transaction, false, "RFC 1939 §5", new ListCommand()),
        new("RETR", Transaction, false, "RFC 1939 §5", new RetrCommand()),
        new("DELE", Transaction, false, "RFC 1939 §5", new DeleCommand()),
        new("NOOP", Transaction, false, "RFC 1939 §5", new NoopCommand()),
        new("RSET", Transaction, false, "RFC 1939 §5", new RsetCommand()),
        new("TOP", Transaction, false, "RFC 1939 §7", new TopCommand()),
        new("UIDL", Transaction, false, "RFC 1939 §7", new UidlCommand()),
    }.ToFrozenDictionary(c => c.Name, StringComparer.Ordinal);
}
