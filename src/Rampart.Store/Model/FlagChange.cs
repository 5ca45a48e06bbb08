namespace Rampart.Store.Model;

/// <summary>How STORE changes flags: replace them, add to them, or remove from them (RFC 9051 §6.4.6).</summary>
public enum FlagOperation
{
    Replace,
    Add,
    Remove,
}

/// <summary>One flag change applied to a set of messages.</summary>
public sealed record FlagChange(FlagOperation Operation, MessageFlags Flags);
