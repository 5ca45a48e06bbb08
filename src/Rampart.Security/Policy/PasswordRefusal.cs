namespace Rampart.Security.Policy;

/// <summary>Why the password policy refused a new password; <see cref="None"/> when it accepted it.</summary>
public enum PasswordRefusal
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>Fewer characters than the profile's minimum.</summary>
    TooShort,

    /// <summary>More than <see cref="PasswordPolicy.MaxLength"/> characters (a bound on hashing work, far above 128).</summary>
    TooLong,

    /// <summary>Control characters or text that is not valid Unicode.</summary>
    InvalidCharacters,

    /// <summary>The profile asks for upper, lower, digit and symbol, and one is missing.</summary>
    MissingCharacterClass,

    /// <summary>On the shipped list of common passwords (or a decorated form of one).</summary>
    Common,

    /// <summary>Found in the breached-password range files.</summary>
    Breached,

    /// <summary>Contains or reverses the account name.</summary>
    UserNameDerived,

    /// <summary>One of the account's recent passwords.</summary>
    RecentlyUsed,
}
