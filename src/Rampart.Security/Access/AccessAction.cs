namespace Rampart.Security.Access;

/// <summary>What an access rule does with the addresses it matches.</summary>
public enum AccessAction
{
    /// <summary>Only addresses in some allow rule get in (once there is one allow rule).</summary>
    Allow,

    /// <summary>Addresses in a deny rule never get in; deny wins over allow.</summary>
    Deny,
}
